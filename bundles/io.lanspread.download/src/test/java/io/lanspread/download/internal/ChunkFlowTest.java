package io.lanspread.download.internal;

import static io.lanspread.download.internal.Harness.assertFinishedWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.download.internal.planner.AdaptivePlanner;

/**
 * How chunks travel: several per call, every received chunk released exactly once whatever becomes of it,
 * and written chunks made durable in batches.
 */
class ChunkFlowTest {
    private final FakeGame game = FakeGame.sample("quake", "1.0", 1);
    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close(); // also checks that no chunk leaked
        }
    }

    private static FakeGame bigGame(int chunks) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("data/all.bin", FakeGame.bytes(new Random(5), chunks * FakeGame.CHUNK));
        files.put("version.ini", "1\n".getBytes());
        return new FakeGame("big", "1", files);
    }

    @Test
    void chunksGoOutSeveralPerCallAndNeverMoreThanSixteen() {
        FakeGame big = bigGame(100);
        h = new Harness().with("chunks.per.source", 16).start();
        h.peer("a", "10.0.0.1", big);

        DownloadStatus end = h.awaitEnd(h.manager.start(DownloadRequest.newest("big")).id());

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(h.peers.calls).hasSize(big.chunkCount());
        assertThat(h.peers.batches).allSatisfy(b -> assertThat(b.size()).isBetween(1, 16));
        assertThat(h.peers.batches.get(0).size()).as("the first call fills the source").isEqualTo(16);
        // refills wait for room for 4; only the last few open chunks may go out fewer at a time
        assertThat(h.peers.batches.stream().filter(b -> b.size() < 4).count()).isLessThanOrEqualTo(3);
        assertThat(h.peers.batches.size()).isLessThanOrEqualTo(1 + (big.chunkCount() - 16) / 4 + 3);
    }

    @Test
    void everyChunkIsReleasedOnceWhetherWrittenWrongOrALateCopy() {
        h = new Harness().with("chunks.per.source", 4).start().planner(new AdaptivePlanner());
        FakePeers.Peer fast = h.peer("fast", "10.0.0.1", game);
        fast.delayMillis = 2;
        FakePeers.Peer corrupt = h.peer("corrupt", "10.0.0.2", game);
        corrupt.direct = false; // heap buffers too
        corrupt.corruptPath = "bin/game.bin";
        corrupt.corrupt = offset -> true;
        h.peer("slow", "10.0.0.3", game).delayMillis = 400;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(end.notes()).as("bad chunks came").anyMatch(n -> n.startsWith("corrupt"));
        assertThat(h.peers.calls.stream().filter(c -> h.peers.calls(c.path(), c.offset()) > 1))
                .as("some chunks were asked twice").isNotEmpty();
        // late copies still arrive after the end, and are released while the manager runs
        Harness.await(() -> h.peers.handedOut.get() == h.peers.calls.size() && h.peers.unreleased() == 0,
                () -> h.peers.unreleased() + " of " + h.peers.handedOut + " chunks to be released");
        assertThat(h.peers.handedOut.get()).isGreaterThan(game.chunkCount());
        assertThat(h.peers.releasedTwice.get()).isZero();
        assertThat(h.peers.usedAfterRelease.get()).isZero();
    }

    @Test
    void chunksArrivingAfterACancelAreReleased() {
        h = new Harness().start();
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(3);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.status(id).downloadedBytes() >= 3L * FakeGame.CHUNK, () -> "3 chunks");
        assertThat(h.manager.cancel(id)).isTrue();
        a.release();

        Harness.await(() -> h.peers.handedOut.get() == h.peers.calls.size() && h.peers.unreleased() == 0,
                () -> h.peers.unreleased() + " of " + h.peers.handedOut + " chunks to be released");
        assertThat(h.peers.handedOut.get()).isGreaterThan(3);
        assertThat(h.status(id).state()).isEqualTo(DownloadState.CANCELLED);
    }

    @Test
    void chunksArrivingWhileAndAfterTheManagerStopsAreReleased() {
        FakeGame big = bigGame(100);
        h = new Harness().start();
        h.peer("a", "10.0.0.1", big).delayMillis = 20;
        String id = h.manager.start(DownloadRequest.newest("big")).id();
        Harness.await(() -> h.status(id).downloadedBytes() >= 20L * FakeGame.CHUNK, () -> "20 chunks");

        h.manager.deactivate();
        h.manager = null;

        Harness.await(() -> h.peers.handedOut.get() == h.peers.calls.size() && h.peers.unreleased() == 0,
                () -> h.peers.unreleased() + " of " + h.peers.handedOut + " chunks to be released");
        assertThat(h.stores.open.get(id).done().cardinality()).as("what was written was committed on close")
                .isGreaterThanOrEqualTo(20);
    }

    @Test
    void writtenChunksAreCommittedWhileThePeerIsAway() {
        h = new Harness().with("waiting.timeout.seconds", 60).start();
        FakePeers.Peer only = h.peer("only", "10.0.0.1", game);
        only.pauseAfter(10);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.status(id).downloadedBytes() >= 10L * FakeGame.CHUNK, () -> "10 chunks");
        h.lose("only");
        h.awaitState(id, DownloadState.WAITING);

        Harness.await(() -> h.store(id).done().cardinality() >= 10 && !h.store(id).uncommitted(),
                () -> "the written chunks to be committed, " + h.store(id).done().cardinality() + " are");
        only.release();
    }

    @Test
    void aCommitThatFailsFailsTheDownloadWithASentence() {
        h = new Harness().start();
        h.stores.failCommits = true;
        h.peer("a", "10.0.0.1", game).delayMillis = 20;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).startsWith("The disk is full").doesNotContain("Exception");
        assertThat(h.store(id).discarded).isTrue();
        assertThat(h.store(id).installedNow).isFalse();
    }
}
