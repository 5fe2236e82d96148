package io.lanspread.itests.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.LabPeer;

/**
 * Discovery backends come and go at runtime: peer B runs with {@code --console} and {@code --peer
 * <A>}. With B's mDNS bundle stopped through the Gogo shell, B still reaches A (the static backend) and
 * sees A's library change, but not C, a peer only multicast could tell it about; starting the bundle
 * again makes B and C find each other, with B's process never restarted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MdnsBundleRestartIT {

    static final String MDNS_BSN = "io.lanspread.discovery.mdns";
    /** After mDNS is back, as long as a fresh peer may take (issue 3: 3 s), plus room for the restart. */
    static final Duration RESTORED_LIMIT = Duration.ofSeconds(5);
    /** How long B must not learn of C while mDNS is stopped, counted from A listing C. */
    static final Duration BLIND_WINDOW = Duration.ofSeconds(5);

    private Lab lab;
    private Path work;
    private LabPeer a;
    private LabPeer b;
    private LabPeer c;
    private int apiC;
    private long bPid;

    @BeforeAll
    void startAAndB() throws Exception {
        Lab.assumeSupported();
        FileTrees.delete(LabPeer.logDir(getClass()));
        lab = Lab.create(3);
        work = Files.createTempDirectory("lanspread-mdns-restart");
        int apiA = lab.host(1).forward(LabPeer.HTTP_PORT);
        int apiB = lab.host(2).forward(LabPeer.HTTP_PORT);
        apiC = lab.host(3).forward(LabPeer.HTTP_PORT);
        a = LabPeer.start(lab.host(1), apiA, Files.createDirectories(work.resolve("a")), "peer-a");
        b = LabPeer.start(lab.host(2), apiB, Files.createDirectories(work.resolve("b")), "peer-b", "--console",
                "--peer", lab.host(1).address() + ":" + LabPeer.QUIC_PORT);
        a.awaitReady(120);
        b.awaitReady(120);
        bPid = b.process().pid();
        long t0 = System.nanoTime();
        Deadlines.within("A and B list each other", t0, Duration.ofSeconds(15),
                () -> b.listedPeerIds().contains(a.peerId()) && a.listedPeerIds().contains(b.peerId()),
                () -> "A: " + a.get("/api/peers") + " B: " + b.get("/api/peers"));
    }

    @AfterAll
    void tearDown() throws Exception {
        for (LabPeer p : new LabPeer[] {a, b, c}) {
            if (p != null) {
                p.keepLog(LabPeer.logDir(getClass()));
            }
        }
        if (lab != null) {
            lab.close();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void withMdnsStoppedBStillReachesThePeerGivenByPeerFlag() throws Exception {
        assertThat(mdnsState()).isEqualTo("Active");
        b.console("stop " + mdnsBundleId());
        assertThat(mdnsState()).as("after stop").isEqualTo("Resolved");

        Path staged = GameFixture.writeSampleGame(Files.createDirectories(work.resolve("staging")), "static-only",
                "1.0", 11);
        FileTrees.copy(staged, a.gamesDir().resolve("static-only"));
        long copiedAt = System.nanoTime();
        long ms = Deadlines.within("A's new game listed on B with mDNS stopped", copiedAt, LanDiscoveryIT.LIBRARY_LIMIT,
                () -> b.listsGameFrom("static-only", a.peerId()), () -> b.get("/api/games"));
        System.out.printf("mdns stopped: A's new game listed on B after %d ms%n", ms);
        assertThat(b.listedPeerIds()).containsExactly(a.peerId());
        assertThat(a.listedPeerIds()).contains(b.peerId());
    }

    @Test
    @Order(2)
    void startingMdnsAgainRestoresMulticastDiscoveryWithoutARestart() throws Exception {
        c = LabPeer.start(lab.host(3), apiC, Files.createDirectories(work.resolve("c")), "peer-c");
        c.awaitReady(120);
        // C is discoverable: A (mDNS running) finds it, and C finds A
        long seenByA = Deadlines.within("A and C list each other", c.readyNanos(), Duration.ofSeconds(10),
                () -> a.listedPeerIds().contains(c.peerId()) && c.listedPeerIds().contains(a.peerId()),
                () -> "A: " + a.get("/api/peers") + " C: " + c.get("/api/peers"));
        System.out.printf("mdns stopped on B: A and C found each other %d ms after C's ready line%n", seenByA);
        Deadlines.never("B and C finding each other while B's mDNS is stopped", System.nanoTime(), BLIND_WINDOW,
                () -> b.listedPeerIds().contains(c.peerId()) || c.listedPeerIds().contains(b.peerId()),
                () -> "B: " + b.get("/api/peers") + " C: " + c.get("/api/peers"));
        assertThat(b.listedPeerIds()).as("B keeps A").containsExactly(a.peerId());

        int mark = b.logLineCount();
        long startedAt = System.nanoTime();
        b.console("start " + mdnsBundleId());
        long ms = Deadlines.within("B and C list each other after mDNS started on B", startedAt, RESTORED_LIMIT,
                () -> b.listedPeerIds().contains(c.peerId()) && c.listedPeerIds().contains(b.peerId()),
                () -> "B: " + b.get("/api/peers") + " C: " + c.get("/api/peers") + "\nB log since start:\n"
                        + String.join("\n", b.logText().lines().skip(mark).toList()));
        System.out.printf("mdns restarted on B: B and C list each other %d ms after the start command%n", ms);
        assertThat(mdnsState()).isEqualTo("Active");
        assertThat(b.listedPeerIds()).containsExactlyInAnyOrder(a.peerId(), c.peerId());

        // the same process all along: never restarted, ready once, same identity
        assertThat(b.process().isAlive()).isTrue();
        assertThat(b.process().pid()).isEqualTo(bPid);
        assertThat(b.logText().lines().filter(l -> l.contains("lanspread ready peer=")).count()).isEqualTo(1);
        assertThat(b.get("/api/status").get("peerId").asText()).isEqualTo(b.peerId());
    }

    /** The mDNS bundle's id, from {@code lb -s} on B's console. */
    private String mdnsBundleId() throws Exception {
        return lbLine().group(1);
    }

    /** The mDNS bundle's state word as {@code lb -s} prints it (Active, Resolved, ...). */
    private String mdnsState() throws Exception {
        return lbLine().group(2);
    }

    private Matcher lbLine() throws Exception {
        int mark = b.logLineCount();
        b.console("lb -s " + MDNS_BSN);
        return b.awaitOutput(mark, "(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|\\s*\\d+\\s*\\|\\s*" + MDNS_BSN.replace(".", "\\.")
                + "\\b", Duration.ofSeconds(10));
    }
}
