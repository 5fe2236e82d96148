package io.lanspread.itests.download;

import static io.lanspread.itests.download.Downloads.mib;
import static io.lanspread.itests.download.Downloads.served;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.BigGame;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.FreePorts;
import io.lanspread.itests.support.PeerProcess;
import io.lanspread.itests.support.TreeCompare;

/**
 * Swarming (issue 11) with three real {@code ./lanspread} peers on loopback: A has the games, B starts a download,
 * and C starts the same download while B's is still running. C fetches from B's partial copy what B verified,
 * and a chunk of B's staging folder changed on disk is never handed out as good. Bytes are counted at the
 * senders (servedBytes of GET /api/status).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmIT {

    private static final long MIB = BigGame.MIB;
    /** Big enough that B is still fetching well after C started, on a fast machine too. */
    private static final long PAK = 192 * MIB;

    private Path work;
    private Path homeA;
    private Path homeB;
    private Path homeC;
    private PeerProcess a;
    private PeerProcess b;
    private PeerProcess c;

    @BeforeAll
    void startPeers() throws Exception {
        work = Files.createTempDirectory("lanspread-swarm");
        homeA = Files.createDirectories(work.resolve("a"));
        homeB = Files.createDirectories(work.resolve("b"));
        homeC = Files.createDirectories(work.resolve("c"));
        Path gamesA = Files.createDirectories(homeA.resolve("games"));
        BigGame.in(gamesA, "shared", "1", 21).paks(2, PAK).write();
        BigGame.in(gamesA, "damaged", "1", 22).paks(2, PAK).write();
        int portA = FreePorts.udp();
        int portB = FreePorts.udp();
        int portC = FreePorts.udp();
        // everyone knows everyone by --peer; mDNS stays off: nothing may leave loopback
        a = Downloads.peer(homeA, "seeder", "seeder.log", args(portA, portB, portC));
        b = Downloads.peer(homeB, "first", "first.log", args(portB, portA, portC));
        c = Downloads.peer(homeC, "second", "second.log", args(portC, portA, portB));
        a.awaitReady(180);
        b.awaitReady(180);
        c.awaitReady(180);
    }

    private static String[] args(int own, int... others) {
        List<String> args = new java.util.ArrayList<>(List.of("--no-mdns", "--port", String.valueOf(own)));
        for (int other : others) {
            args.add("--peer");
            args.add("127.0.0.1:" + other);
        }
        return args.toArray(String[]::new);
    }

    @AfterAll
    void stopPeers() throws Exception {
        for (PeerProcess p : new PeerProcess[] {c, b, a}) {
            if (p != null) {
                p.close();
            }
        }
        Downloads.keepLogs(getClass(), work);
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void aPeerStillDownloadingServesTheChunksItVerifiedToAThirdPeer() throws Exception {
        long size = BigGame.size(homeA.resolve("games/shared"));
        Downloads.awaitListed(b, "shared", "1", size, 120, a);
        Downloads.awaitListed(c, "shared", "1", size, 120, a);
        long a0 = served(a);
        long b0 = served(b);
        try (Downloads.Watch first = new Downloads.Watch(b, Downloads.start(b, "shared"))) {
            JsonNode bStarted = first.until("to pass 20 %", 120, d -> d.get("downloadedBytes").asLong() >= size / 5
                    || Downloads.ENDED.contains(d.get("state").asText()));
            assertThat(bStarted.get("state").asText()).as("B still downloading when C starts").isEqualTo("RUNNING");
            try (Downloads.Watch second = new Downloads.Watch(c, Downloads.start(c, "shared"))) {
                long servedByBWhileRunning = 0;
                JsonNode cEnd = null;
                long deadline = System.nanoTime() + 180_000_000_000L;
                while (cEnd == null && System.nanoTime() < deadline) {
                    long bServed = served(b) - b0; // read before B's state: served while it was still running
                    JsonNode bNow = first.poll();
                    if (bNow != null && "RUNNING".equals(bNow.get("state").asText())) {
                        servedByBWhileRunning = bServed;
                    }
                    JsonNode cNow = second.poll();
                    if (cNow != null && Downloads.ENDED.contains(cNow.get("state").asText())) {
                        cEnd = cNow;
                    } else {
                        LockSupport.parkNanos(100_000_000L); // the polling interval
                    }
                }
                assertThat(cEnd).as("C's download ended: %s", second.describe()).isNotNull();
                JsonNode bEnd = first.untilEnded(180);
                assertThat(cEnd.get("state").asText()).as(second.describe()).isEqualTo("FINISHED");
                assertThat(bEnd.get("state").asText()).as(first.describe()).isEqualTo("FINISHED");
                assertThat(TreeCompare.difference(homeA.resolve("games/shared"), homeC.resolve("games/shared"))).isEmpty();
                assertThat(TreeCompare.difference(homeA.resolve("games/shared"), homeB.resolve("games/shared"))).isEmpty();
                long fromA = served(a) - a0;
                long fromB = served(b) - b0;
                System.out.printf("swarm: %s game; A served %s, B served %s (%s of it while B was still downloading);"
                        + " A sent %.2fx the game for two downloads%n", mib(size), mib(fromA), mib(fromB),
                        mib(servedByBWhileRunning), fromA / (double) size);
                assertThat(servedByBWhileRunning).as("bytes B served to C while B's own download was running")
                        .isGreaterThan(4 * MIB);
                assertThat(fromA).as("the seeder sent less than two copies for two downloads").isLessThan(2 * size);
                Downloads.assertSentences("a note of the downloads", second.texts());
            }
        }
    }

    @Test
    @Order(2)
    void aStagedChunkChangedOnDiskIsNeverServedAsGood() throws Exception {
        long size = BigGame.size(homeA.resolve("games/damaged"));
        Downloads.awaitListed(b, "damaged", "1", size, 120, a);
        Downloads.awaitListed(c, "damaged", "1", size, 120, a);
        try (Downloads.Watch first = new Downloads.Watch(b, Downloads.start(b, "damaged"))) {
            JsonNode bStarted = first.until("to pass 25 %", 120, d -> d.get("downloadedBytes").asLong() >= size / 4
                    || Downloads.ENDED.contains(d.get("state").asText()));
            assertThat(bStarted.get("state").asText()).as("B still downloading").isEqualTo("RUNNING");
            // B fetched the first pak from its start (alone, in file order): spoil what it verified of it, in place
            Path staged = stagedPak(homeB, "damaged");
            spoil(staged, size / 8);
            try (Downloads.Watch second = new Downloads.Watch(c, Downloads.start(c, "damaged"))) {
                JsonNode cEnd = second.untilEnded(180);
                assertThat(cEnd.get("state").asText()).as(second.describe()).isEqualTo("FINISHED");
                assertThat(TreeCompare.difference(homeA.resolve("games/damaged"), homeC.resolve("games/damaged")))
                        .as("C's copy").isEmpty();
                long refusals = b.logText().lines().filter(l -> l.contains("no longer matches its manifest in staging"))
                        .count();
                long badFromB = second.texts().stream().filter(t -> t.contains("first") && t.contains("does not match"))
                        .count();
                System.out.printf("damaged: B refused %d spoilt chunks; C noted %d bad chunks from B%n", refusals, badFromB);
                assertThat(refusals + badFromB).as("the spoilt chunks were refused by B or caught by C").isPositive();
                assertThat(refusals).as("B re-hashes a staged chunk before serving it, and refused the spoilt ones")
                        .isPositive();
            }
            JsonNode bEnd = first.untilEnded(180);
            // B found its staging spoilt while serving: it fetched the spoilt chunks again instead of installing them
            assertThat(bEnd.get("state").asText()).as(first.describe()).isEqualTo("FINISHED");
            assertThat(TreeCompare.difference(homeA.resolve("games/damaged"), homeB.resolve("games/damaged")))
                    .as("B's own copy").isEmpty();
        }
    }

    /** B's staging copy of the game's first pak. */
    private static Path stagedPak(Path home, String gameId) throws IOException {
        try (Stream<Path> files = Files.walk(home.resolve("games/.lanspread-tmp"))) {
            return files.filter(p -> p.getFileName().toString().equals("pak0.bin"))
                    .filter(p -> p.toString().contains(gameId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no staged pak0.bin of " + gameId + " under " + home));
        }
    }

    /** Overwrites the first {@code bytes} of a file with other bytes, keeping its size. */
    private static void spoil(Path file, long bytes) throws IOException {
        byte[] noise = new byte[(int) MIB];
        new Random(99).nextBytes(noise);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long at = 0; at < bytes; at += noise.length) {
                ByteBuffer buf = ByteBuffer.wrap(noise, 0, (int) Math.min(noise.length, bytes - at));
                while (buf.hasRemaining()) {
                    channel.write(buf, at + buf.position());
                }
            }
            channel.force(false);
        }
    }
}
