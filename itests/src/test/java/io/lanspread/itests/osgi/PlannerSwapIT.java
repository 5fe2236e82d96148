package io.lanspread.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadManager;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.LanspreadTestSupport;
import io.lanspread.itests.support.PeerProcess;

/**
 * A planner swapped while a download runs takes over from the next request, with no chunk lost or sent
 * twice. The peer in the container (real Felix + SCR, the shipped bundles) downloads a game of about 160 MiB
 * from two real {@code ./lanspread} peers on loopback; once about a twentieth has arrived the test registers a
 * planner of its own, built on API types only and ranked above the built-in {@code adaptive} planner, which
 * records what it plans. The download must finish byte-identical, the new planner must have planned the rest
 * (every chunk not done or in flight when it took over), and the two sources together must have served
 * exactly the game's bytes: nothing twice. (The engine's stall takeover, which asks for a second copy on
 * purpose, waits 60 s here, so that only the planners decide what is asked for.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlannerSwapIT extends LanspreadTestSupport {

    private static final String GAME = "swap-quest";
    private static final int MIB = 1 << 20;

    @Inject
    BundleContext context;

    @Inject
    PeerControl control;

    @Inject
    DownloadManager downloads;

    @Inject
    ConfigurationAdmin configurationAdmin;

    private final List<PeerProcess> sources = new ArrayList<>();
    private Path work;
    private ServiceRegistration<DownloadPlanner> registration;

    /**
     * The base options, except that the engine's stall takeover (a source silent for 2 s while others
     * deliver has its chunks asked of others too, on purpose a second copy) waits 60 s: on a busy machine it
     * could otherwise fetch a chunk twice, and this test is about what the planners ask for.
     */
    @Override
    protected void configure(Map<String, Map<String, Object>> configurations) {
        configuration(configurations, "io.lanspread.download").put("stall.seconds", 60);
    }

    @After
    public void cleanUp() throws Exception {
        if (registration != null) {
            registration.unregister();
        }
        sources.forEach(PeerProcess::close);
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    public void aHigherRankedPlannerTakesOverMidDownloadWithNoChunkLostOrSentTwice() throws Exception {
        work = Files.createTempDirectory("lanspread-planner-swap");
        Path firstHome = Files.createDirectories(work.resolve("source-1"));
        Path game = writeGame(Files.createDirectories(firstHome.resolve("games")).resolve(GAME));
        Path secondHome = Files.createDirectories(work.resolve("source-2"));
        linkTree(game, Files.createDirectories(secondHome.resolve("games")).resolve(GAME));
        long gameBytes = totalSize(game);

        PeerProcess first = PeerProcess.start(firstHome, "source-1", "--no-mdns");
        sources.add(first);
        PeerProcess second = PeerProcess.start(secondHome, "source-2", "--no-mdns");
        sources.add(second);
        first.awaitReady(120);
        second.awaitReady(120);

        // the container's peer reaches both through its static discovery backend, as --peer would configure it
        Configuration staticPeers = configurationAdmin.getConfiguration("io.lanspread.discovery.static", "?");
        Dictionary<String, Object> peers = new Hashtable<>();
        peers.put("peers", new String[] {"127.0.0.1:" + first.quicPort(), "127.0.0.1:" + second.quicPort()});
        staticPeers.update(peers);
        Conditions.await("the game listed from both sources", 60, () -> listedFrom(first, second),
                () -> control.games());

        long started = System.nanoTime();
        String id = control.download(GAME).toCompletableFuture().get(30, TimeUnit.SECONDS).id();
        DownloadStatus atSwap = Conditions.awaitValue("a twentieth of the download to arrive", 60, () -> {
            DownloadStatus s = status(id);
            if (s.state().ended()) {
                throw new AssertionError("the download ended before the planner could be swapped: " + s);
            }
            return s.totalBytes() > 0 && s.downloadedBytes() >= s.totalBytes() / 20 ? s : null;
        });

        RecordingPlanner planner = new RecordingPlanner();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(DownloadPlanner.NAME_PROPERTY, RecordingPlanner.NAME);
        props.put(Constants.SERVICE_RANKING, 100); // the built-in adaptive planner has 10
        registration = context.registerService(DownloadPlanner.class, planner, props);

        DownloadStatus done = Conditions.awaitValue("the download to end", 120, () -> {
            DownloadStatus s = status(id);
            return s.state().ended() ? s : null;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(done.toString(), DownloadState.FINISHED, done.state());
        assertEquals(gameBytes, done.totalBytes());
        assertEquals("", GameFixture.difference(game, control.status().gamesDir().resolve(GAME)));

        // the new planner took over mid-download and planned every chunk not done or in flight by then
        assertEquals("sessions the new planner opened", 1, planner.sessions.get());
        assertTrue("the swap came after the download had started: " + atSwap, atSwap.downloadedBytes() > 0);
        assertTrue("the new planner planned no request", !planner.requests.isEmpty());
        BitSet handled;
        BitSet covered;
        synchronized (planner) {
            handled = (BitSet) planner.handledAtOpen.clone();
            covered = (BitSet) planner.planned.clone();
        }
        int plannedChunks = covered.cardinality();
        covered.or(handled);
        assertTrue("the swap came before the end: " + handled.cardinality() + " of " + planner.chunkCount
                + " chunks done or in flight", handled.cardinality() < planner.chunkCount);
        assertEquals("chunks neither handled before the swap nor planned after it", planner.chunkCount,
                covered.cardinality());
        assertEquals("chunks the new planner asked for twice without a failure", List.of(), planner.replanned);

        // counted at the sources: every file byte served exactly once
        long served = servedBytes(first) + servedBytes(second);
        System.out.printf("planner swap: %d bytes in %d chunks, %.1f s; swapped at %d bytes with %d chunks done or in"
                + " flight; the new planner planned %d requests (%d chunks); the sources served %d bytes%n", gameBytes,
                planner.chunkCount, seconds, atSwap.downloadedBytes(), handled.cardinality(), planner.requests.size(),
                plannedChunks, served);
        assertEquals("bytes the two sources served for a game of " + gameBytes + " bytes", gameBytes, served);
    }

    private boolean listedFrom(PeerProcess first, PeerProcess second) {
        for (GameListing g : control.games()) {
            if (g.game().id().equals(GAME) && g.peerIds().contains(first.peerId())
                    && g.peerIds().contains(second.peerId())) {
                return true;
            }
        }
        return false;
    }

    private DownloadStatus status(String id) {
        return downloads.download(id).orElseThrow(() -> new AssertionError("no download " + id));
    }

    private static long servedBytes(PeerProcess source) throws Exception {
        return source.get("/api/status").get("servedBytes").asLong();
    }

    /** Two large files (one not a multiple of the chunk size), a small one and version.ini: about 160 MiB. */
    private static Path writeGame(Path game) throws IOException {
        SplittableRandom random = new SplittableRandom(6);
        writeRandom(game.resolve("data/pak0.bin"), 96L * MIB, random);
        writeRandom(game.resolve("data/pak1.bin"), 64L * MIB + 12_345, random);
        writeRandom(game.resolve("bin/game.exe"), 300_000, random);
        Files.writeString(game.resolve("version.ini"), "[game]\nname=Swap Quest\nversion=1.0\n");
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

    /** The same game in a second games folder, as hard links (each source hashes and serves it itself). */
    private static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createLink(dest, p);
                }
            }
        }
    }

    private static long totalSize(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /**
     * A third-party planner on API types only: each source with room gets the next chunks, in order, that it
     * holds and that are neither done nor in flight anywhere (so it never asks for a second copy, not even at
     * the end). Records what it planned.
     */
    static final class RecordingPlanner implements DownloadPlanner {
        static final String NAME = "swap-test";

        final AtomicInteger sessions = new AtomicInteger();
        final List<PlannedRequest> requests = new CopyOnWriteArrayList<>();
        /** Chunks this planner asked for (set on the download's executor, read after the download ended). */
        final BitSet planned = new BitSet();
        /** Chunks done or in flight when its session opened. */
        final BitSet handledAtOpen = new BitSet();
        /** Chunks asked for again although no failure was reported for them in between. */
        final List<Integer> replanned = new CopyOnWriteArrayList<>();
        volatile int chunkCount;

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public PlannerSession open(PlanningContext download) {
            sessions.incrementAndGet();
            synchronized (this) {
                chunkCount = download.chunkCount();
                for (int i = 0; i < chunkCount; i++) {
                    if (download.isDone(i) || download.inFlight(i) > 0) {
                        handledAtOpen.set(i);
                    }
                }
            }
            return new Session(download);
        }

        private final class Session implements PlannerSession {
            private final PlanningContext download;
            /** Chunks asked for and not reported failed since. */
            private final Map<Integer, Boolean> outstanding = new HashMap<>();
            private int firstNotDone;

            Session(PlanningContext download) {
                this.download = download;
            }

            @Override
            public List<PlannedRequest> next(SourceView source, int room) {
                int count = download.chunkCount();
                while (firstNotDone < count && download.isDone(firstNotDone)) {
                    firstNotDone++;
                }
                List<PlannedRequest> out = new ArrayList<>();
                for (int i = firstNotDone; i < count && out.size() < room; i++) {
                    if (!download.isDone(i) && download.inFlight(i) == 0 && source.has(i)) {
                        out.add(PlannedRequest.of(source, i));
                        synchronized (RecordingPlanner.this) {
                            if (outstanding.put(i, Boolean.TRUE) != null) {
                                replanned.add(i);
                            }
                            planned.set(i);
                        }
                    }
                }
                requests.addAll(out);
                return out;
            }

            @Override
            public void chunkFailed(Chunk chunk, SourceView from) {
                outstanding.remove(chunk.index());
            }
        }
    }
}
