package io.lanspread.download.internal;

import static io.lanspread.download.internal.Harness.assertFinishedWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;

/**
 * The download manager's settings changed while a download runs ({@code @Modified}): the running download uses
 * the new values from then on, without a restart, a failure or a lost chunk. Peers held at a gate keep the
 * download in the state each test needs while the setting changes.
 */
class LiveSettingsTest {
    private final FakeGame game = FakeGame.sample("quake", "1.0", 1); // 34 chunks
    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void moreChunksInFlightApplyToTheRunningSourceAndFewerOnceItsRequestsFinish() {
        h = new Harness().with("chunks.per.source", 1).start();
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(3);
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.peers.calls("a") == 4, () -> "3 answered and 1 held, asked " + h.peers.calls("a"));
        assertThat(h.peers.batches).as("one chunk per call while the limit is 1").allMatch(b -> b.size() == 1);

        h.reconfigure("chunks.per.source", 8);
        Harness.await(() -> h.peers.batches.stream().anyMatch(b -> b.size() > 1),
                () -> "a call with several chunks, got " + h.peers.batches);
        Harness.await(() -> h.peers.calls("a") == 3 + 8, () -> "8 in flight, asked " + h.peers.calls("a"));
        assertThat(h.status(id).state()).isEqualTo(DownloadState.RUNNING);

        h.reconfigure("chunks.per.source", 1);
        int before = h.peers.batches.size();
        a.release(); // the 8 in flight finish; from then on one at a time
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        List<FakePeers.Batch> after = h.peers.batches.subList(before, h.peers.batches.size());
        assertThat(after).as("calls after the limit went back to 1").isNotEmpty().allMatch(b -> b.size() == 1);
    }

    @Test
    void aLowerFailureLimitSetsAFailingSourceAsideInTheRunningDownload() {
        h = new Harness().with("drop.after.failures", 1_000_000).with("attempts.per.chunk", 1_000_000).start();
        FakePeers.Peer failing = h.peer("failing", "10.0.0.1", game);
        failing.failChunks = true;
        FakePeers.Peer good = h.peer("good", "10.0.0.2", game);
        good.pauseAfter(0);
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.peers.calls("failing") >= 20, () -> "failing asked 20 times, " + h.peers.calls("failing"));
        assertThat(h.status(id).sources()).isEqualTo(2);

        h.reconfigure("drop.after.failures", 3);
        Harness.await(() -> h.status(id).sources() == 1, () -> "the failing source set aside: " + h.status(id));
        assertThat(h.status(id).notes()).anyMatch(n -> n.startsWith("failing failed") && n.contains("in a row"));
        long askedFailing = h.peers.calls("failing");
        good.release();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(h.peers.calls("failing")).as("not asked once set aside").isEqualTo(askedFailing);
    }

    @Test
    void aShorterWaitingTimeoutInterruptsAWaitingDownload() {
        h = new Harness().start(); // 120 s
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(2);
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.peers.calls("a") > 2, () -> "a held request");
        h.lose("a");
        h.awaitState(id, DownloadState.WAITING);

        long changed = System.nanoTime();
        h.reconfigure("waiting.timeout.seconds", 1);
        DownloadStatus interrupted = h.awaitState(id, DownloadState.INTERRUPTED);
        a.release();

        assertThat((System.nanoTime() - changed) / 1_000_000L).as("ms until interrupted").isLessThan(10_000L);
        assertThat(interrupted.notes()).anyMatch(n -> n.contains("within 1 s"));
        assertThat(h.listener.count("failed", id) + h.listener.count("cancelled", id)).isZero();
    }

    @Test
    void swarmingTurnedOffStopsSharingAndLetsThePartialSourceGoAndOnStartsBoth() {
        h = new Harness().with("swarm.have.refresh.millis", 20L).start();
        FakePeers.Peer seeder = h.peer("seeder", "10.0.0.1", game);
        seeder.pauseAfter(2);
        BitSet held = new BitSet();
        held.set(0, 16);
        FakePeers.Peer partial = h.partialPeer("partial", "10.0.0.2", game, held);
        partial.pauseAfter(0);
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.status(id).sources() == 2, () -> "the partial source added: " + h.status(id));
        assertThat(h.manager.copy("quake", "1.0")).as("shared while swarming").isPresent();

        h.reconfigure("swarm.enabled", false);
        Harness.await(() -> h.manager.copy("quake", "1.0").isEmpty() && h.status(id).sources() == 1,
                () -> "no longer shared, the partial source gone: " + h.status(id));
        int haveCalls = partial.haveCalls.get();
        long askedPartial = h.peers.calls("partial");

        h.reconfigure("swarm.enabled", true);
        Harness.await(() -> h.manager.copy("quake", "1.0").isPresent() && h.status(id).sources() == 2,
                () -> "shared again, the partial source back: " + h.status(id));
        assertThat(partial.haveCalls.get()).isGreaterThan(haveCalls);

        h.reconfigure("swarm.enabled", false);
        Harness.await(() -> h.status(id).sources() == 1, () -> "the partial source gone again: " + h.status(id));
        int haveCallsOff = partial.haveCalls.get();
        seeder.release();
        partial.release();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(askedPartial).as("chunks asked of the partial source while swarming").isPositive();
        assertThat(partial.haveCalls.get()).as("have-maps asked while swarming is off").isLessThanOrEqualTo(haveCallsOff + 1);
    }

    @Test
    void aNewHaveMapRefreshApplies() {
        h = new Harness().with("swarm.have.refresh.millis", 3_600_000L).start();
        FakePeers.Peer seeder = h.peer("seeder", "10.0.0.1", game);
        seeder.pauseAfter(2);
        FakePeers.Peer partial = h.partialPeer("partial", "10.0.0.2", game, new BitSet());
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> partial.haveCalls.get() == 1, () -> "the first have request");

        h.reconfigure("swarm.have.refresh.millis", 20L);
        Harness.await(() -> partial.haveCalls.get() >= 4, () -> "have requests every 20 ms, got " + partial.haveCalls.get());
        seeder.release();
        assertThat(h.awaitEnd(id).state()).isEqualTo(DownloadState.FINISHED);
    }
}
