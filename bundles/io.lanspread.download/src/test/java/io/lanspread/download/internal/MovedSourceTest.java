package io.lanspread.download.internal;

import static io.lanspread.download.internal.Harness.assertFinishedWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;

/**
 * A source's server moved to another port while the download runs (it was reconfigured) and the directory has
 * the new address: the download asks it there at once, without counting the old address's failures against it,
 * and without waiting for the periodic recheck when the old address already set it aside. The orchestrator sends
 * no event for a move: the download sees it in the directory.
 */
class MovedSourceTest {
    private final FakeGame game = FakeGame.sample("quake", "1.0", 1); // 34 chunks
    private Harness h;
    private FakePeers.Peer gated;

    @AfterEach
    void tearDown() {
        if (gated != null) {
            gated.release();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aSourceThatMovedIsAskedAtItsNewAddressAndItsRequestsAtTheOldOneGivenUp() {
        h = new Harness().with("chunks.per.source", 2).with("drop.after.failures", 1).start();
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        gated = a;
        a.pauseAfter(4); // the two requests after the fourth answer never come back from the old address
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.peers.calls("a") == 6, () -> "4 answered and 2 held, asked " + h.peers.calls("a"));

        h.move(a);
        a.pauseAfter(-1); // at the new address it answers
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(end.notes()).as("nothing counted against it").noneMatch(n -> n.contains("in a row"));
        assertThat(h.listener.count("failed", id)).isZero();
    }

    @Test
    void aSourceSetAsideAtItsOldAddressIsBackAsSoonAsTheDirectoryHasTheNewOne() {
        h = new Harness().with("chunks.per.source", 1).with("drop.after.failures", 2).start();
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(3);
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.peers.calls("a") == 4, () -> "3 answered and 1 held, asked " + h.peers.calls("a"));

        h.peers.move(a); // the directory does not know yet: requests at the old address fail
        a.release();
        h.awaitState(id, DownloadState.WAITING);
        assertThat(h.status(id).notes()).anyMatch(n -> n.startsWith("a failed 2 requests in a row"));

        long known = System.nanoTime();
        h.directory.upsert(a.id, a.id, a.address); // no event: the directory has it at the new port
        h.awaitState(id, DownloadState.RUNNING);
        long backMillis = (System.nanoTime() - known) / 1_000_000L;
        DownloadStatus end = h.awaitEnd(id);

        assertThat(backMillis).as("ms until asked at the new address (the waiting recheck is every 5 s)")
                .isLessThan(3_000L);
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
    }

    /**
     * The request at the old address fails only after the same chunk was asked for at the new one (the old
     * socket closes in the background): that late failure must not end the newer request, count against the
     * source, or have the chunk asked for a third time.
     */
    @Test
    void aLateFailureAtTheOldAddressDoesNotEndTheRequestAtTheNewOne() {
        h = new Harness().with("chunks.per.source", 1).with("drop.after.failures", 1).start();
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        gated = a;
        a.pauseAfter(3); // the fourth request is held at the old address
        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.peers.calls("a") == 4, () -> "3 answered and 1 held, asked " + h.peers.calls("a"));
        FakePeers.Call held = h.peers.calls.get(3);

        h.move(a); // the directory has the new port: the chunk is asked for there, and held too
        Harness.await(() -> h.peers.calls("a") == 5, () -> "asked again at the new address: " + h.peers.calls("a"));
        assertThat(h.peers.calls.get(4)).as("the same chunk, at the new address").isEqualTo(held);
        // the failure goes to the download's thread now, before any answer the release brings
        assertThat(a.failHeldAtOldAddress()).isEqualTo(1);
        a.release();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(h.peers.calls(held.path(), held.offset())).as("asked for the held chunk").isEqualTo(2);
        assertThat(end.notes()).as("nothing counted against it").noneMatch(n -> n.contains("in a row"));
    }
}
