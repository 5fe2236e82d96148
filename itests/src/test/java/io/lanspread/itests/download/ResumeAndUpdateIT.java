package io.lanspread.itests.download;

import static io.lanspread.itests.download.Downloads.mib;
import static io.lanspread.itests.download.Downloads.served;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
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
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.FreePorts;
import io.lanspread.itests.support.PeerProcess;
import io.lanspread.itests.support.TreeCompare;

/**
 * The two "Done when" numbers of issue 6 about bytes on the wire, measured at the source (servedBytes of
 * its GET /api/status) with a 1 GiB game: a receiver SIGKILLed at 50 % and started again on the same
 * folders makes the source send at most 1.05x the game; then a one-file change of a few bytes makes it
 * send at most (changed chunks + 1) x 512 KiB, and the player's save file survives the update.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResumeAndUpdateIT {

    private static final long MIB = BigGame.MIB;
    private static final int CHUNK = BigGame.CHUNK;
    private static final String GAME = "big";

    private final long startedNanos = System.nanoTime();
    private Path work;
    private Path homeS;
    private Path homeR;
    private PeerProcess s;
    private PeerProcess r;
    private String[] receiverArgs;
    private boolean v1Installed;
    private int receiverRuns;

    @BeforeAll
    void startPeers() throws Exception {
        work = Files.createTempDirectory("lanspread-resume");
        homeS = Files.createDirectories(work.resolve("s"));
        homeR = Files.createDirectories(work.resolve("r"));
        // 1 GiB in four files, every chunk different; written before the source starts so that it hashes them then
        BigGame.in(Files.createDirectories(homeS.resolve("games")), GAME, "1", 21).paks(4, 256 * MIB)
                .withSavesFolder().write();
        // side by side on QUIC ports chosen up front, each told of the other; the receiver keeps its port
        // across its restart
        int portS = FreePorts.udp();
        int portR = FreePorts.udp();
        receiverArgs = new String[] {"--no-mdns", "--port", String.valueOf(portR), "--peer", "127.0.0.1:" + portS};
        s = Downloads.peer(homeS, "source", "source.log", "--no-mdns", "--port", String.valueOf(portS), "--peer",
                "127.0.0.1:" + portR);
        r = startReceiver();
        s.awaitReady(180);
        r.awaitReady(180);
    }

    private PeerProcess startReceiver() throws Exception {
        receiverRuns++;
        return Downloads.peer(homeR, "receiver", "receiver-" + receiverRuns + ".log", receiverArgs);
    }

    @AfterAll
    void stopPeers() throws Exception {
        for (PeerProcess p : new PeerProcess[] {r, s}) {
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

    /** Scenario 3: SIGKILL at 50 %, restart on the same folders: same download id, by itself, at most 1.05x sent. */
    @Test
    @Order(1)
    void aReceiverKilledHalfWayResumesByItselfAndTheSourceSendsTheGameOnce() throws Exception {
        Path source = homeS.resolve("games/" + GAME);
        long size = BigGame.size(source);
        Downloads.awaitListed(r, GAME, "1", size, 120, s);
        long s0 = served(s);
        long t0 = System.nanoTime();
        String id = Downloads.start(r, GAME);
        try (Downloads.Watch watch = new Downloads.Watch(r, id)) {
            JsonNode half = watch.until("to pass 50 %", 240,
                    d -> d.get("downloadedBytes").asLong() >= size / 2 || Downloads.ENDED.contains(d.get("state").asText()));
            assertThat(half.get("state").asText()).as("still running when the receiver is killed: %s", half)
                    .isEqualTo("RUNNING");
            long sentBeforeKill = served(s) - s0;
            r.kill();
            long downloadedAtKill = half.get("downloadedBytes").asLong();
            assertThat(downloadedAtKill).as("killed at about half").isLessThan(size * 3 / 4);
            assertThat(nonEmpty(homeR.resolve("games/.lanspread-tmp"))).as("staging kept after SIGKILL").isTrue();
            assertThat(nonEmpty(homeR.resolve("state/downloads"))).as("journal in <state>/downloads").isTrue();

            r = startReceiver().awaitReady(180);
            watch.on(r);
            long restarted = System.nanoTime();
            // nobody asks it to: the restarted peer lists the same download id and continues
            JsonNode resumed = watch.until("to be listed again after the restart", 60, d -> true);
            assertThat(resumed.get("gameId").asText()).isEqualTo(GAME);
            JsonNode done = watch.untilEnded(300);
            double total = (System.nanoTime() - t0) / 1e9;
            double afterRestart = (System.nanoTime() - restarted) / 1e9;
            assertThat(done.get("state").asText()).as(watch.describe()).isEqualTo("FINISHED");
            assertThat(done.get("totalBytes").asLong()).isEqualTo(size);
            assertThat(done.get("downloadedBytes").asLong()).isEqualTo(size);
            long downloadsOfTheGame = 0;
            for (JsonNode d : r.get("/api/downloads")) {
                if (GAME.equals(d.get("gameId").asText())) {
                    downloadsOfTheGame++;
                }
            }
            assertThat(downloadsOfTheGame).as("downloads of %s after the restart: %s", GAME, r.get("/api/downloads"))
                    .isEqualTo(1);
            assertThat(TreeCompare.difference(source, homeR.resolve("games/" + GAME))).isEmpty();
            v1Installed = true;
            Downloads.assertSentences("a note or error of the download", watch.texts());

            long sent = served(s) - s0;
            System.out.printf("resume: %s game, receiver SIGKILLed at %s verified (source had sent %s), finished %.1f s "
                    + "after the restart (%.1f s in all); the source sent %s = %.3fx the game; reused after restart %s%n",
                    mib(size), mib(downloadedAtKill), mib(sentBeforeKill), afterRestart, total, mib(sent),
                    sent / (double) size, mib(done.path("reusedBytes").asLong()));
            assertThat(sent).as("bytes the source sent for a %s game, the receiver killed at %s", mib(size),
                    mib(downloadedAtKill)).isLessThanOrEqualTo((long) (size * 1.05));
        }
    }

    /**
     * Scenario 6: the source changes 7 bytes in one chunk of one file and bumps version.ini; the update
     * makes it send at most (2 changed chunks + 1) x 512 KiB, the result is the new version, and the
     * save file the player made in the installed copy is still there.
     */
    @Test
    @Order(2)
    void aOneFileUpdateFetchesOnlyTheChangedChunkAndKeepsTheSaveFile() throws Exception {
        Path installed = homeR.resolve("games/" + GAME);
        Path source = homeS.resolve("games/" + GAME);
        long size = BigGame.size(source);
        if (!v1Installed) {
            // the previous test did not leave v1 installed: copy it in, as a user would
            FileTrees.delete(installed);
            FileTrees.copy(source, installed);
        }
        // installed means listed: the receiver's library has v1 (after a download it hashes the copy again)
        Conditions.awaitValue("v1 listed as local on the receiver", 120, () -> {
            JsonNode g = Downloads.game(r, GAME);
            return g != null && g.get("local").asBoolean() && "1".equals(g.get("version").asText()) ? g : null;
        });
        byte[] save = new byte[3000];
        new Random(22).nextBytes(save);
        Path slot = installed.resolve("saves/slot1.sav");
        Files.createDirectories(slot.getParent());
        Files.write(slot, save);

        long offset = 100 * MIB + 1000; // inside chunk 200 of the file
        BigGame.patch(source.resolve("data/pak2.bin"), offset, "PATCHED".getBytes(StandardCharsets.US_ASCII));
        BigGame.bumpVersion(source, "2");
        int changedChunks = 2; // the patched chunk and version.ini's one chunk
        assertThat(BigGame.size(source)).isEqualTo(size);

        Downloads.awaitListed(r, GAME, "2", size, 120, s);
        long s0 = served(s);
        long t0 = System.nanoTime();
        try (Downloads.Watch watch = new Downloads.Watch(r, Downloads.start(r, GAME))) {
            JsonNode done = watch.untilEnded(240);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(done.get("state").asText()).as(watch.describe()).isEqualTo("FINISHED");
            long sent = served(s) - s0;
            long reused = done.path("reusedBytes").asLong(-1);
            System.out.printf("update: %s game, 7 bytes changed in one chunk; done in %.1f s; the source sent %s (%d bytes); "
                    + "reused %s, fetched %s by the receiver's count%n", mib(size), seconds, mib(sent), sent, mib(reused),
                    mib(done.path("fetchedBytes").asLong(-1)));

            assertThat(TreeCompare.difference(source, installed, Set.of("saves/slot1.sav"))).isEmpty();
            assertThat(slot).as("the player's save file after the update").exists();
            assertThat(Files.readAllBytes(slot)).as("the save file's bytes").isEqualTo(save);
            assertThat(sent).as("bytes the source sent for a one-chunk change of a %s game", mib(size))
                    .isLessThanOrEqualTo((long) (changedChunks + 1) * CHUNK);
            assertThat(reused).as("reusedBytes of the update: %s", done).isBetween(size - (long) changedChunks * CHUNK, size);
            Conditions.awaitValue("v2 listed as local on the receiver", 30, () -> {
                JsonNode g = Downloads.game(r, GAME);
                return g != null && g.get("local").asBoolean() && "2".equals(g.get("version").asText()) ? g : null;
            });
            Downloads.assertSentences("a note or error of the update", watch.texts());
        }
    }

    private static boolean nonEmpty(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.findAny().isPresent();
        }
    }
}
