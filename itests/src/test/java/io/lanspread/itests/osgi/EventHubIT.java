package io.lanspread.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.lanspread.api.control.PeerControl;
import io.lanspread.api.event.EventHub;
import io.lanspread.api.event.EventSubscriber;
import io.lanspread.api.event.EventSubscription;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;
import io.lanspread.api.event.SnapshotReason;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.LanspreadTestSupport;
import io.lanspread.itests.support.PeerProcess;

/**
 * The event hub in the shipped runtime: the peer in the container (real Felix + SCR) downloads a game of 64 MiB
 * from a real {@code ./lanspread} peer on loopback while a subscriber follows the hub. It sees the source
 * appear with its game, then the download's begin, at most one progress per 500 ms (although the download
 * manager reports every 20 ms here), the same last progress the runtime reported before the end, the
 * end, and the game arriving in the local library; sequences have no gap. A second subscriber that comes
 * later with the id of the begin event gets exactly the same events after it, and one with an id of another
 * run gets a snapshot naming this peer, the source and the finished download.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventHubIT extends LanspreadTestSupport {

    private static final String GAME = "hub-quest";
    private static final int MIB = 1 << 20;
    private static final Duration COALESCED = Duration.ofMillis(500);

    @Inject
    BundleContext context;

    @Inject
    EventHub hub;

    @Inject
    PeerControl control;

    @Inject
    ConfigurationAdmin configurationAdmin;

    private final List<EventSubscription> subscriptions = new ArrayList<>();
    private ServiceRegistration<LanspreadEventListener> rawListener;
    private PeerProcess source;
    private Path work;

    /** The download manager reports progress every 20 ms, so that the hub has something to coalesce. */
    @Override
    protected void configure(Map<String, Map<String, Object>> configurations) {
        configuration(configurations, "io.lanspread.download").put("progress.interval.millis", 20L);
    }

    @After
    public void cleanUp() throws Exception {
        subscriptions.forEach(EventSubscription::close);
        if (rawListener != null) {
            rawListener.unregister();
        }
        if (source != null) {
            source.close();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    public void aDownloadFollowedThroughTheHubInOrderCoalescedAndResumable() throws Exception {
        work = Files.createTempDirectory("lanspread-event-hub");
        Path home = Files.createDirectories(work.resolve("source"));
        Path game = writeGame(Files.createDirectories(home.resolve("games")).resolve(GAME));
        source = PeerProcess.start(home, "source", "--no-mdns");
        source.awaitReady(120);

        Recorder live = new Recorder();
        subscriptions.add(hub.subscribe(live));
        HubEvent.Snapshot first = live.next(HubEvent.Snapshot.class, e -> true);
        assertEquals(SnapshotReason.NO_ID, first.reason());
        assertEquals(control.status().peerId(), first.status().peerId());
        // what the runtime itself reports, straight from its dispatcher, to compare the coalesced stream with
        List<LanspreadEvent> raw = new CopyOnWriteArrayList<>();
        rawListener = context.registerService(LanspreadEventListener.class, raw::add, new Hashtable<>());

        Configuration staticPeers = configurationAdmin.getConfiguration("io.lanspread.discovery.static", "?");
        Dictionary<String, Object> peers = new Hashtable<>();
        peers.put("peers", new String[] {"127.0.0.1:" + source.quicPort()});
        staticPeers.update(peers);
        live.next(HubEvent.Reported.class, e -> e.event() instanceof LanspreadEvent.GameListUpdated u
                && u.peerId().equals(source.peerId()) && u.games().stream().anyMatch(g -> g.id().equals(GAME)));

        long asked = System.nanoTime();
        String id = control.download(GAME).toCompletableFuture().get(30, TimeUnit.SECONDS).id();
        HubEvent.Reported begin = live.next(HubEvent.Reported.class,
                e -> e.event() instanceof LanspreadEvent.DownloadBegin b && b.status().id().equals(id));
        // until the download ended and the game is in the library (the two come from different threads)
        List<HubEvent> afterBegin = new ArrayList<>();
        boolean ended = false;
        boolean installed = false;
        while (!ended || !installed) {
            HubEvent event = live.next(HubEvent.class, e -> true);
            afterBegin.add(event);
            ended |= event instanceof HubEvent.Reported r && r.event() instanceof LanspreadEvent.DownloadFinished f
                    && f.status().id().equals(id);
            installed |= event instanceof HubEvent.LibraryChanged changed
                    && changed.games().stream().anyMatch(g -> g.id().equals(GAME));
        }
        // measured on this JVM's monotonic clock: at least as long as the hub spent on the download's events
        Duration took = Duration.ofNanos(System.nanoTime() - asked);

        List<HubEvent.Reported> ofDownload = afterBegin.stream().filter(HubEvent.Reported.class::isInstance)
                .map(HubEvent.Reported.class::cast).filter(e -> downloadId(e.event()).equals(id))
                .collect(Collectors.toList());
        HubEvent.Reported end = ofDownload.get(ofDownload.size() - 1);
        assertTrue("the download finished: " + ofDownload, end.event() instanceof LanspreadEvent.DownloadFinished);
        List<HubEvent.Reported> progress = ofDownload.subList(0, ofDownload.size() - 1);
        assertTrue("every event between begin and end is progress: " + progress, progress.stream()
                .allMatch(e -> e.event() instanceof LanspreadEvent.DownloadProgress));
        long rawProgress = raw.stream().filter(e -> e instanceof LanspreadEvent.DownloadProgress p
                && p.status().id().equals(id)).count();
        System.out.printf("event hub: download of %d MiB followed for %d ms; the runtime reported %d progress events,"
                + " the hub delivered %d%n", totalSize(game) / MIB, took.toMillis(), rawProgress, progress.size());
        assertTrue("at most one progress per 500 ms over " + took.toMillis() + " ms: " + progress.size(),
                progress.size() <= took.toMillis() / COALESCED.toMillis() + 2);
        LanspreadEvent lastRaw = lastProgressBeforeEnd(raw, id);
        if (lastRaw != null) {
            assertEquals("the last progress before the end is the runtime's last", lastRaw,
                    progress.get(progress.size() - 1).event());
        }
        List<HubEvent> sinceBegin = new ArrayList<>(afterBegin);
        for (int i = 0; i < sinceBegin.size(); i++) {
            assertEquals("no gap in the sequence", begin.sequence() + 1 + i, sinceBegin.get(i).sequence());
        }

        Recorder resumed = new Recorder();
        subscriptions.add(hub.subscribe(begin.id(), resumed));
        List<String> replayed = new ArrayList<>();
        for (int i = 0; i < sinceBegin.size(); i++) {
            replayed.add(resumed.next(HubEvent.class, e -> true).id());
        }
        assertEquals(sinceBegin.stream().map(HubEvent::id).collect(Collectors.toList()), replayed);

        Recorder foreign = new Recorder();
        subscriptions.add(hub.subscribe("earlierrun-" + begin.sequence(), foreign));
        HubEvent.Snapshot snapshot = foreign.next(HubEvent.Snapshot.class, e -> true);
        assertEquals(SnapshotReason.UNKNOWN_ID, snapshot.reason());
        assertTrue(snapshot.sequence() >= sinceBegin.get(sinceBegin.size() - 1).sequence());
        assertEquals(control.status().peerId(), snapshot.status().peerId());
        assertTrue("the source in the snapshot", snapshot.peers().stream()
                .anyMatch(p -> p.peerId().equals(source.peerId())));
        assertTrue("the finished download in the snapshot", snapshot.downloads().stream()
                .anyMatch(d -> d.id().equals(id) && d.state().ended()));
        assertTrue("the game installed in the snapshot", snapshot.library().stream()
                .anyMatch(g -> g.id().equals(GAME)));
        assertEquals("", GameFixture.difference(game, control.status().gamesDir().resolve(GAME)));
    }

    private static LanspreadEvent lastProgressBeforeEnd(List<LanspreadEvent> raw, String id) {
        LanspreadEvent last = null;
        for (LanspreadEvent e : raw) {
            if (!downloadId(e).equals(id)) {
                continue;
            }
            if (e instanceof LanspreadEvent.DownloadProgress) {
                last = e;
            } else if (e instanceof LanspreadEvent.DownloadFinished) {
                return last;
            }
        }
        return last;
    }

    private static String downloadId(LanspreadEvent e) {
        if (e instanceof LanspreadEvent.DownloadBegin b) {
            return b.status().id();
        } else if (e instanceof LanspreadEvent.DownloadProgress p) {
            return p.status().id();
        } else if (e instanceof LanspreadEvent.DownloadFinished f) {
            return f.status().id();
        } else if (e instanceof LanspreadEvent.DownloadFailed f) {
            return f.status().id();
        } else if (e instanceof LanspreadEvent.DownloadCancelled c) {
            return c.status().id();
        }
        return "";
    }

    /** Takes what the hub delivers; {@link #next} skips events until one matches, within a deadline. */
    private static final class Recorder implements EventSubscriber {
        private final BlockingQueue<HubEvent> received = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(HubEvent event) {
            received.add(event);
        }

        <T extends HubEvent> T next(Class<T> type, java.util.function.Predicate<T> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                long left = deadline - System.nanoTime();
                HubEvent event = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
                assertNotNull("a " + type.getSimpleName() + " within 120 s", event);
                if (type.isInstance(event) && wanted.test(type.cast(event))) {
                    return type.cast(event);
                }
                if (type == HubEvent.class) {
                    throw new AssertionError("unexpected " + event);
                }
            }
        }
    }

    private static Path writeGame(Path game) throws IOException {
        SplittableRandom random = new SplittableRandom(9);
        writeRandom(game.resolve("data/pak0.bin"), 48L * MIB, random);
        writeRandom(game.resolve("data/pak1.bin"), 16L * MIB + 4_321, random);
        Files.writeString(game.resolve("version.ini"), "[game]\nname=Hub Quest\nversion=1.0\n");
        return game;
    }

    private static void writeRandom(Path file, long size, SplittableRandom random) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] block = new byte[MIB];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - written)));
            }
        }
    }

    private static long totalSize(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
