package io.lanspread.download.internal;

import static io.lanspread.download.internal.Harness.assertFinishedWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;

/**
 * Swarming over fakes: peers still downloading the game (partial copies, known by their have-maps) are sources
 * for what they hold, a lying one is dropped as any lying source is, and with swarming off nobody asks them.
 */
class SwarmEngineTest {
    private final FakeGame game = FakeGame.sample("quake", "1.0", 1); // 34 chunks: 20 + 13 + version.ini
    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aPartialHolderServesOnlyWhatItHoldsAndTheSeederTheRest() {
        h = new Harness().with("swarm.have.refresh.millis", 50L).start();
        FakePeers.Peer seeder = h.peer("seeder", "10.0.0.1", game);
        seeder.delayMillis = 20; // a busy seeder: the fast partial holder is worth asking
        BitSet held = new BitSet();
        held.set(0, 16);
        FakePeers.Peer partial = h.partialPeer("partial", "10.0.0.2", game, held);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(partial.haveCalls.get()).isPositive();
        long fromPartial = h.peers.calls("partial");
        assertThat(fromPartial).as("chunks asked of the partial holder").isPositive();
        assertThat(h.peers.calls.stream().filter(c -> c.peerId().equals("partial"))
                .allMatch(c -> c.path().equals("bin/game.bin") && c.offset() < 16L * FakeGame.CHUNK))
                .as("the partial holder is asked only for chunks it holds").isTrue();
        assertThat(h.peers.calls("seeder")).as("the seeder serves what only it has").isGreaterThanOrEqualTo(18);
    }

    @Test
    void aPartialHolderThatGrowsIsAskedForItsNewChunks() {
        h = new Harness().with("swarm.have.refresh.millis", 20L).start();
        FakePeers.Peer seeder = h.peer("seeder", "10.0.0.1", game);
        seeder.delayMillis = 40;
        FakePeers.Peer partial = h.partialPeer("partial", "10.0.0.2", game, new BitSet()); // nothing yet

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> partial.haveCalls.get() >= 2, () -> "two have requests, got " + partial.haveCalls.get());
        assertThat(h.peers.calls("partial")).as("a partial copy holding nothing is not asked").isZero();
        BitSet grown = new BitSet();
        grown.set(0, 34);
        partial.partial = grown; // its download went on meanwhile
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(h.peers.calls("partial")).as("chunks asked of the partial holder once it had them").isPositive();
    }

    @Test
    void aPartialHolderSendingBadBytesIsDroppedLikeAnyLiar() {
        h = new Harness().with("swarm.have.refresh.millis", 50L).start();
        FakePeers.Peer seeder = h.peer("seeder", "10.0.0.1", game);
        seeder.delayMillis = 20;
        BitSet held = new BitSet();
        held.set(0, 20); // all of bin/game.bin
        FakePeers.Peer cheat = h.partialPeer("cheat", "10.0.0.2", game, held);
        cheat.corruptPath = "bin/game.bin";
        cheat.corrupt = offset -> true;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(end.notes()).anyMatch(n -> n.contains("cheat") && n.contains("no longer used"));
        long haveCallsAtEnd = cheat.haveCalls.get();
        assertThat(h.peers.calls("cheat")).isBetween(1L, 3L + 8L); // dropped after 3 bad ones, 8 in flight at most
        assertThat(haveCallsAtEnd).isPositive();
    }

    @Test
    void withSwarmingOffPartialCopiesAreNeverAsked() {
        h = new Harness().with("swarm.enabled", false).with("swarm.have.refresh.millis", 20L).start();
        h.peer("seeder", "10.0.0.1", game);
        BitSet held = new BitSet();
        held.set(0, 34);
        FakePeers.Peer partial = h.partialPeer("partial", "10.0.0.2", game, held);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(partial.haveCalls.get()).isZero();
        assertThat(h.peers.calls("partial")).isZero();
        assertThat(h.manager.copy("quake", "1.0")).isEmpty();
        assertThat(end.sharedBytes()).isZero();
    }

    @Test
    void aRunningDownloadOffersItsCopyAndStopsWhenItEnds() {
        h = new Harness().start();
        FakePeers.Peer seeder = h.peer("seeder", "10.0.0.1", game);
        seeder.pauseAfter(4);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.manager.copy("quake", "1.0").isPresent(), () -> "the partial copy offered");
        assertThat(h.manager.copy("quake", "2.0")).isEmpty();
        assertThat(h.manager.copy("doom", "1.0")).isEmpty();
        assertThat(h.manager.copy("quake", "1.0").orElseThrow().manifest().totalChunks()).isEqualTo(34);
        // the 4 chunks written are committed on a tick, then the status offers them
        Harness.await(() -> h.status(id).sharedBytes() == 4L * FakeGame.CHUNK,
                () -> "4 chunks shared, status " + h.status(id));
        assertThat(h.status(id).sharedBytes()).isEqualTo(h.manager.copy("quake", "1.0").orElseThrow().held()
                .cardinality() * (long) FakeGame.CHUNK);
        seeder.release();
        DownloadStatus end = h.awaitEnd(id);
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(end.sharedBytes()).as("an ended download shares nothing").isZero();
        assertThat(h.manager.copy("quake", "1.0")).isEmpty();
    }

    @Test
    void aChunkOfItsOwnFoundBadWhileServingIsFetchedAgainAndNeverInstalled() throws Exception {
        h = new Harness().start();
        FakePeers.Peer seeder = h.peer("seeder", "10.0.0.1", game);
        seeder.pauseAfter(4);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.manager.copy("quake", "1.0").map(c -> c.held().cardinality() == 4).orElse(false),
                () -> "4 chunks shared");
        io.lanspread.api.game.PartialCopy copy = h.manager.copy("quake", "1.0").orElseThrow();
        int index = copy.held().nextSetBit(0);
        io.lanspread.api.download.Chunk chunk = h.store(id).layout().chunk(index);
        io.lanspread.api.download.Chunk unread = h.store(id).layout().chunk(copy.held().nextSetBit(index + 1));
        h.store(id).corrupt(chunk); // the disk changed it after it was verified
        h.store(id).corrupt(unread); // and another one nobody asks for
        long revision = copy.revision();

        boolean served = copy.read(chunk.path(), chunk.offset(), chunk.length(),
                java.nio.ByteBuffer.allocate(chunk.length()));

        assertThat(served).as("a chunk found bad is not served").isFalse();
        assertThat(copy.held().get(index)).as("nor offered any more").isFalse();
        assertThat(copy.revision()).as("the have-map changed").isGreaterThan(revision);
        Harness.await(() -> h.status(id).downloadedBytes() == 3L * FakeGame.CHUNK,
                () -> "the chunk taken back from the progress, status " + h.status(id));
        seeder.release();
        DownloadStatus end = h.awaitEnd(id);
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game); // byte-identical: the bad chunk was fetched again before installing
        assertThat(h.peers.calls(chunk.path(), chunk.offset())).as("the bad chunk asked for twice").isEqualTo(2);
        assertThat(h.store(id).rechecks.get()).as("staging hashed again in full before installing").isEqualTo(1);
        assertThat(h.peers.calls(unread.path(), unread.offset())).as("the other bad chunk, found by that")
                .isEqualTo(2);
    }
}
