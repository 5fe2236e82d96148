package org.example.lanspread.extras.minimal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerSession;

/**
 * The minimal planner and backend of docs/extending.md: they work, and the guide shows them exactly as they are
 * here (so the code in the guide compiles).
 */
class MinimalExamplesTest {

    private static final Path SOURCES = Path.of("src/test/java/org/example/lanspread/extras/minimal");
    private static final Path GUIDE = Path.of("../../docs/extending.md");

    @Test
    void theGuideShowsBothExamplesExactlyAsTheyCompileHere() throws Exception {
        String guide = Files.readString(GUIDE);
        for (String file : List.of("FirstFitPlanner.java", "FixedPeers.java")) {
            assertThat(guide).as("docs/extending.md shows " + file + " verbatim")
                    .contains(Files.readString(SOURCES.resolve(file)).strip());
        }
    }

    @Test
    void firstFitPlansTheNextFreeChunksASourceHolds() {
        var download = new org.example.lanspread.extras.internal.FakeDownloadAccess(6);
        var a = download.source("a", "192.0.2.10", i -> i != 1);
        download.markInFlight(0);
        PlannerSession session = new FirstFitPlanner().open(download.context());
        assertThat(session.next(a, 2)).containsExactly(new PlannedRequest("a", List.of(2)),
                new PlannedRequest("a", List.of(3)));
    }

    @Test
    void fixedPeersReportsTheConfiguredAddressesUntilClosed() throws Exception {
        FixedPeers backend = new FixedPeers(config(new String[] {"127.0.0.1:42420", "127.0.0.1:42500"}));
        List<DiscoveredPeer> found = new CopyOnWriteArrayList<>();
        DiscoverySession session = backend.start(new LocalPeer("me", "me", 1, "fp", 0, 2), new DiscoveryListener() {
            @Override
            public void found(DiscoveredPeer peer) {
                found.add(peer);
            }

            @Override
            public void lost(DiscoveredPeer peer) {
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (found.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10); // a poll interval, not a wait for state
        }
        session.close();
        backend.deactivate();
        assertThat(found).extracting(DiscoveredPeer::address).startsWith(new InetSocketAddress("127.0.0.1", 42420),
                new InetSocketAddress("127.0.0.1", 42500));
    }

    private static FixedPeers.Config config(String[] addresses) {
        return new FixedPeers.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FixedPeers.Config.class;
            }

            @Override
            public String[] addresses() {
                return addresses;
            }
        };
    }
}
