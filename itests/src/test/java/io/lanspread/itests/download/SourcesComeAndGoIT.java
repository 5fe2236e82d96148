package io.lanspread.itests.download;

import static io.lanspread.itests.download.Downloads.mib;
import static io.lanspread.itests.download.Downloads.served;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.BigGame;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.FreePorts;
import io.lanspread.itests.support.PeerProcess;
import io.lanspread.itests.support.TreeCompare;

/**
 * Scenario tests of issue 6 with real {@code ./lanspread} peers on loopback: two sources A and B and a
 * receiver R that knows both by {@code --peer}. Bytes fetched are counted at the sources (the servedBytes
 * of their GET /api/status), never from the receiver's own figures. The tests run in order and share the
 * peers: the third kills B, the fourth stops A and starts it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourcesComeAndGoIT {

    private static final long MIB = BigGame.MIB;
    private static final int CHUNK = BigGame.CHUNK;

    private final long startedNanos = System.nanoTime();
    private Path work;
    private Path homeA;
    private Path homeB;
    private Path homeR;
    private PeerProcess a;
    private PeerProcess b;
    private PeerProcess r;
    private int portA;
    private int portR;

    @BeforeAll
    void startPeers() throws Exception {
        work = Files.createTempDirectory("lanspread-sources");
        homeA = Files.createDirectories(work.resolve("a"));
        homeB = Files.createDirectories(work.resolve("b"));
        homeR = Files.createDirectories(work.resolve("r"));
        Path gamesA = Files.createDirectories(homeA.resolve("games"));
        Path gamesB = Files.createDirectories(homeB.resolve("games"));
        // written before the peers start, so that they hash them while starting up
        BigGame.in(gamesA, "split", "1", 11).paks(2, 64 * MIB).file("readme.txt", 1000).write();
        // big enough that the first progress report (every 500 ms) comes well before the end on a fast machine
        BigGame.in(gamesA, "killed", "1", 12).paks(2, 128 * MIB).write();
        BigGame.in(gamesA, "waiting", "1", 13).paks(3, 64 * MIB).write();
        FileTrees.copy(gamesA.resolve("split"), gamesB.resolve("split"));
        FileTrees.copy(gamesA.resolve("killed"), gamesB.resolve("killed"));

        // The three start side by side on QUIC ports chosen up front, each told of the others (whoever is up
        // first greets the others when they come). mDNS stays off: nothing may leave loopback.
        portA = FreePorts.udp();
        int portB = FreePorts.udp();
        portR = FreePorts.udp();
        a = Downloads.peer(homeA, "source-a", "source-a.log", sourceArgs(portA));
        b = Downloads.peer(homeB, "source-b", "source-b.log", sourceArgs(portB));
        r = Downloads.peer(homeR, "receiver", "receiver.log", "--no-mdns", "--port", String.valueOf(portR), "--peer",
                "127.0.0.1:" + portA, "--peer", "127.0.0.1:" + portB);
        a.awaitReady(180);
        b.awaitReady(180);
        r.awaitReady(180);
    }

    private String[] sourceArgs(int port) {
        return new String[] {"--no-mdns", "--port", String.valueOf(port), "--peer", "127.0.0.1:" + portR};
    }

    @AfterAll
    void stopPeers() throws Exception {
        for (PeerProcess p : new PeerProcess[] {r, b, a}) {
            if (p != null) {
                p.close();
            }
        }
        Downloads.keepLogs(getClass(), work);
        if (work != null) {
            FileTrees.delete(work);
        }
        System.out.printf("%s: %.1f s wall time%n", getClass().getSimpleName(), (System.nanoTime() - startedNanos) / 1e9);
    }

    /** Scenario 1: two sources split a game; each serves a real share and together no more than 1.05x. */
    @Test
    @Order(1)
    void twoSourcesSplitAGame() throws Exception {
        long size = BigGame.size(homeA.resolve("games/split"));
        Downloads.awaitListed(r, "split", "1", size, 60, a, b);
        long a0 = served(a);
        long b0 = served(b);
        long t0 = System.nanoTime();
        try (Downloads.Watch watch = new Downloads.Watch(r, Downloads.start(r, "split"))) {
            JsonNode done = watch.untilEnded(120);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(done.get("state").asText()).as(watch.describe()).isEqualTo("FINISHED");
            assertThat(done.get("totalBytes").asLong()).isEqualTo(size);
            assertThat(done.get("downloadedBytes").asLong()).isEqualTo(size);
            assertThat(TreeCompare.difference(homeA.resolve("games/split"), homeR.resolve("games/split"))).isEmpty();

            long fromA = served(a) - a0;
            long fromB = served(b) - b0;
            System.out.printf("split: %s in %.1f s; served by A %s, by B %s, together %.3fx the game%n", mib(size), seconds,
                    mib(fromA), mib(fromB), (fromA + fromB) / (double) size);
            assertThat(fromA).as("A's share of %s (B served %s)", mib(size), mib(fromB)).isGreaterThan(size / 5);
            assertThat(fromB).as("B's share of %s (A served %s)", mib(size), mib(fromA)).isGreaterThan(size / 5);
            assertThat(fromA + fromB).as("bytes served by A and B together for a %s game", mib(size))
                    .isLessThanOrEqualTo((long) (size * 1.05));
            Downloads.assertSentences("a note of a download that went well", watch.texts());
        }
    }

    /**
     * Scenario 5: a game still being copied into A's games folder (version.ini first, then the files, a
     * block every 200 ms) is never listed on R while it is being written; once listed, R's copy is the
     * final one.
     */
    @Test
    @Order(2)
    void aGameStillBeingCopiedIsNeverOfferedTruncated() throws Exception {
        Path game = Files.createDirectories(homeA.resolve("games/copying/data"));
        Files.writeString(game.getParent().resolve("version.ini"), BigGame.versionIni("copying", "1"));
        int blocks = 24;
        int blockSize = 256 * 1024;
        byte[] block = new byte[blockSize];
        Random random = new Random(14);
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> copied = new CompletableFuture<>();
        List<String> downloadAttempts = new ArrayList<>();
        ScheduledExecutorService copier = Executors.newSingleThreadScheduledExecutor();
        try {
            copier.scheduleAtFixedRate(() -> {
                try {
                    int i = written.get();
                    // the first 16 blocks go to one file, the rest to a second one created half way
                    Path file = game.resolve(i < 16 ? "part1.bin" : "part2.bin");
                    random.nextBytes(block);
                    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND)) {
                        ByteBuffer buf = ByteBuffer.wrap(block);
                        while (buf.hasRemaining()) {
                            out.write(buf);
                        }
                    }
                    if (written.incrementAndGet() == blocks) {
                        copied.complete(null);
                        throw new IllegalStateException("done"); // ends the schedule
                    }
                } catch (Exception e) {
                    if (!copied.isDone()) {
                        copied.completeExceptionally(e);
                    }
                    throw new IllegalStateException(e);
                }
            }, 200, 200, TimeUnit.MILLISECONDS);

            // While the copy runs, and for 1.5 s after it (half the 3 s quiet time a game needs), R must not
            // list the game, and asking R to download it must not start a download.
            Deadlines.neverWhile("R lists the game that is still being copied", () -> !copied.isDone(),
                    Duration.ofMillis(1500), Duration.ofSeconds(60), () -> {
                        if (Downloads.game(r, "copying") != null) {
                            return true;
                        }
                        if (downloadAttempts.isEmpty() && written.get() >= blocks / 2) {
                            HttpResponse<String> resp = r.request("POST", "/api/games/copying/download");
                            downloadAttempts.add(resp.statusCode() + " " + resp.body());
                            return resp.statusCode() == 202;
                        }
                        return false;
                    }, () -> "blocks written " + written.get() + ", game " + Downloads.game(r, "copying")
                            + ", download attempts " + downloadAttempts);
        } finally {
            copier.shutdownNow();
            copier.awaitTermination(10, TimeUnit.SECONDS);
        }
        copied.get(1, TimeUnit.SECONDS);
        assertThat(downloadAttempts).as("a download was asked for half way through the copy").hasSize(1);
        System.out.printf("copying: not listed while copied; a download asked for half way answered %s%n",
                downloadAttempts.get(0));

        Path source = game.getParent();
        long size = BigGame.size(source);
        assertThat(size).isEqualTo(Files.size(source.resolve("version.ini")) + (long) blocks * blockSize);
        JsonNode listed = Downloads.awaitListed(r, "copying", "1", size, 60, a);
        assertThat(listed.get("size").asLong()).isEqualTo(size);

        long a0 = served(a);
        try (Downloads.Watch watch = new Downloads.Watch(r, Downloads.start(r, "copying"))) {
            JsonNode done = watch.untilEnded(60);
            assertThat(done.get("state").asText()).as(watch.describe()).isEqualTo("FINISHED");
            assertThat(TreeCompare.difference(source, homeR.resolve("games/copying"))).isEmpty();
            assertThat(served(a) - a0).as("bytes A served for the game").isBetween(size, (long) (size * 1.05) + CHUNK);
        }
    }

    /** Scenario 2: B is SIGKILLed mid-download; A finishes it, byte-identical, and no raw exception text shows. */
    @Test
    @Order(3)
    void aSourceKilledMidDownloadTheOtherFinishesIt() throws Exception {
        long size = BigGame.size(homeA.resolve("games/killed"));
        Downloads.awaitListed(r, "killed", "1", size, 60, a, b);
        long a0 = served(a);
        long b0 = served(b);
        try (Downloads.Watch watch = new Downloads.Watch(r, Downloads.start(r, "killed"))) {
            JsonNode before = watch.until("to pass 10 %", 120,
                    d -> d.get("downloadedBytes").asLong() >= size / 10 || Downloads.ENDED.contains(d.get("state").asText()));
            assertThat(before.get("state").asText()).as("still running when B is killed: %s", before).isEqualTo("RUNNING");
            long fromBBeforeKill = served(b) - b0;
            long killedAt = b.kill();
            long doneAtKill = before.get("downloadedBytes").asLong();

            JsonNode done = watch.untilEnded(120);
            double afterKill = (System.nanoTime() - killedAt) / 1e9;
            assertThat(done.get("state").asText()).as(watch.describe()).isEqualTo("FINISHED");
            assertThat(doneAtKill).as("B was killed mid-download").isLessThan(size * 3 / 4);
            assertThat(TreeCompare.difference(homeA.resolve("games/killed"), homeR.resolve("games/killed"))).isEmpty();
            Downloads.assertSentences("a note or error of the download", watch.texts());

            long fromA = served(a) - a0;
            System.out.printf("killed: B SIGKILLed at %s of %s (B had served %s); finished %.1f s later; A served %s%n",
                    mib(doneAtKill), mib(size), mib(fromBBeforeKill), afterKill, mib(fromA));
            // what B served but R never got (its requests in flight when it died) has to come from A
            assertThat(fromA + fromBBeforeKill).as("A served %s, B %s before it was killed", mib(fromA), mib(fromBBeforeKill))
                    .isBetween(size - 8L * CHUNK, (long) (size * 1.05) + 8L * CHUNK);
        }
    }

    /**
     * Scenario 4: A, the only source of a game, is stopped (SIGTERM) mid-download: R waits (WAITING, with
     * a sentence saying why) and continues by itself when A is started again on the same folders (same
     * identity); A then serves only what R had not verified.
     */
    @Test
    @Order(4)
    void everySourceGoneTheDownloadWaitsAndContinuesWhenOneComesBack() throws Exception {
        long size = BigGame.size(homeA.resolve("games/waiting"));
        Downloads.awaitListed(r, "waiting", "1", size, 60, a);
        try (Downloads.Watch watch = new Downloads.Watch(r, Downloads.start(r, "waiting"))) {
            JsonNode before = watch.until("to pass 10 %", 120,
                    d -> d.get("downloadedBytes").asLong() >= size / 10 || Downloads.ENDED.contains(d.get("state").asText()));
            assertThat(before.get("state").asText()).as("still running when A is stopped: %s", before).isEqualTo("RUNNING");
            String idA = a.peerId();
            a.stop(30);

            JsonNode waitingNow = watch.until("to wait for a source", 60, d -> !d.get("state").asText().equals("RUNNING"));
            assertThat(waitingNow.get("state").asText()).as(watch.describe()).isEqualTo("WAITING");
            // it keeps waiting (before, a download failed about 5 s after its only source left)
            Deadlines.never("the download leaves WAITING while no source is there", System.nanoTime(),
                    Duration.ofSeconds(3), () -> !"WAITING".equals(watch.poll().get("state").asText()), watch::describe);
            waitingNow = watch.poll();
            long verified = waitingNow.get("downloadedBytes").asLong();
            assertThat(verified).as("A was stopped mid-download").isLessThan(size);
            JsonNode error = waitingNow.get("error");
            assertThat(error == null || error.isNull()).as("no error while waiting: %s", waitingNow).isTrue();
            List<String> notes = new ArrayList<>();
            waitingNow.path("notes").forEach(n -> notes.add(n.asText()));
            assertThat(notes).as("notes of a waiting download").isNotEmpty();
            Downloads.assertSentences("a note of a waiting download", notes);
            assertThat(Files.exists(homeR.resolve("games/waiting"))).as("nothing installed while waiting").isFalse();

            // the same folders, so the same identity; the same port, and it calls R itself
            a = Downloads.peer(homeA, "source-a", "source-a-2.log", sourceArgs(portA)).awaitReady(180);
            assertThat(a.peerId()).as("A's identity after a restart").isEqualTo(idA);
            long restarted = System.nanoTime();

            JsonNode done = watch.untilEnded(120);
            double seconds = (System.nanoTime() - restarted) / 1e9;
            assertThat(done.get("state").asText()).as(watch.describe()).isEqualTo("FINISHED");
            List<String> states = watch.states();
            assertThat(states.subList(states.indexOf("WAITING"), states.size())).as("states after A came back: %s", states)
                    .containsSubsequence("WAITING", "RUNNING", "FINISHED");
            assertThat(TreeCompare.difference(homeA.resolve("games/waiting"), homeR.resolve("games/waiting"))).isEmpty();
            Downloads.assertSentences("a note or error of the download", watch.texts());

            long servedAgain = served(a);
            System.out.printf("waiting: A stopped with %s of %s verified; back and finished %.1f s after its restart; "
                    + "A then served %s%n", mib(verified), mib(size), seconds, mib(servedAgain));
            assertThat(servedAgain).as("bytes A served after coming back (%s of %s were verified before)", mib(verified),
                    mib(size)).isPositive().isLessThanOrEqualTo((long) ((size - verified) * 1.05) + 4L * CHUNK);
        }
    }
}
