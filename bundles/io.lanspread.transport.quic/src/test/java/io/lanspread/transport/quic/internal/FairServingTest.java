package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The uplink's fair queue: at most so many chunk reads per remote peer and in total run at once, the others
 * wait (never fail) and are let in round robin across the peers waiting, and new limits apply at once.
 */
class FairServingTest {
    private final List<String> started = new ArrayList<>();

    private void submit(FairServing fair, String peer, int n) {
        for (int i = 0; i < n; i++) {
            int k = i;
            if (fair.enterOrQueue(peer, () -> started.add(peer + k))) {
                started.add(peer + k);
            }
        }
    }

    @Test
    void aPeerGetsAtMostItsShareAtOnceAndTheRestWait() {
        FairServing fair = new FairServing(2, 10);
        submit(fair, "a", 5);

        assertThat(started).containsExactly("a0", "a1");
        assertThat(fair.serving()).isEqualTo(2);
        assertThat(fair.waiting()).isEqualTo(3);
        fair.leave("a");
        assertThat(started).containsExactly("a0", "a1", "a2");
        assertThat(fair.serving("a")).isEqualTo(2);
    }

    @Test
    void aFastPeerWithManyQueuedDoesNotStarveOneThatComesLater() {
        FairServing fair = new FairServing(4, 4);
        submit(fair, "fast", 20); // 4 served, 16 waiting
        submit(fair, "slow", 3);
        assertThat(started).hasSize(4).allMatch(s -> s.startsWith("fast"));

        // each place that frees goes to the peers waiting in turn: slow's requests are not behind fast's 16
        for (int i = 0; i < 6; i++) {
            fair.leave("fast");
        }
        List<String> next = started.subList(4, started.size());
        assertThat(next).hasSize(6);
        assertThat(next.stream().filter(s -> s.startsWith("slow"))).hasSize(3);
        assertThat(fair.serving("slow")).isEqualTo(3);
        assertThat(fair.serving("fast")).isEqualTo(1);
        assertThat(fair.serving()).isEqualTo(4);
    }

    @Test
    void theTotalBoundsAllPeersTogether() {
        FairServing fair = new FairServing(8, 3);
        submit(fair, "a", 2);
        submit(fair, "b", 2);
        submit(fair, "c", 2);
        assertThat(started).containsExactly("a0", "a1", "b0");
        assertThat(fair.waiting()).isEqualTo(3);
        fair.leave("a");
        fair.leave("a");
        // turns: b was first to wait, then c
        assertThat(started.subList(3, 5)).containsExactly("b1", "c0");
        fair.leave("b");
        assertThat(started).last().isEqualTo("c1");
        assertThat(fair.waiting()).isZero();
    }

    @Test
    void newLimitsApplyLiveAndLetWaitingRequestsIn() {
        FairServing fair = new FairServing(1, 1);
        submit(fair, "a", 3);
        submit(fair, "b", 1);
        assertThat(started).containsExactly("a0");

        fair.resize(2, 8);

        assertThat(started).containsExactlyInAnyOrder("a0", "a1", "b0");
        assertThat(fair.perPeer()).isEqualTo(2);
        assertThat(fair.total()).isEqualTo(8);
        fair.resize(1, 1); // lower: what is served finishes, nothing new starts until room
        fair.leave("a");
        fair.leave("b");
        assertThat(started).hasSize(3);
        fair.leave("a");
        assertThat(started).hasSize(4).last().isEqualTo("a2");
    }

    @Test
    void aLeaveWithoutAPlaceChangesNothing() {
        FairServing fair = new FairServing(1, 1);
        fair.leave("nobody");
        submit(fair, "a", 1);
        assertThat(started).containsExactly("a0");
        assertThat(fair.serving()).isEqualTo(1);
    }
}
