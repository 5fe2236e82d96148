package io.lanspread.download.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadState;

class LifecycleTest {

    @Test
    void runningAndWaitingGoBackAndForthAndWaitingTimesOut() {
        Lifecycle lifecycle = new Lifecycle(DownloadState.RUNNING);
        assertThat(lifecycle.toRunning("w")).isFalse();
        assertThat(lifecycle.toWaiting("w")).isTrue();
        assertThat(lifecycle.notes()).containsExactly("w");
        assertThat(lifecycle.toWaiting("w")).isFalse();
        long first = lifecycle.waitingEpoch();
        assertThat(lifecycle.toRunning("w")).isTrue();
        assertThat(lifecycle.notes()).isEmpty();

        lifecycle.toWaiting("w");
        assertThat(lifecycle.toInterrupted(first, "late", "w")).as("a stale timer").isFalse();
        assertThat(lifecycle.toInterrupted(lifecycle.waitingEpoch(), "gone", "w")).isTrue();
        assertThat(lifecycle.state()).isEqualTo(DownloadState.INTERRUPTED);
        assertThat(lifecycle.notes()).containsExactly("gone");
        assertThat(lifecycle.toRunning("w")).as("interrupted resumes through waiting").isFalse();
        assertThat(lifecycle.toWaiting("w")).isTrue();
    }

    @Test
    void anEndIsClaimedOnceAndNothingMovesAfterIt() {
        Lifecycle lifecycle = new Lifecycle(DownloadState.RUNNING);
        assertThat(lifecycle.claimEnd(DownloadState.FAILED, "broken")).isTrue();
        assertThat(lifecycle.claimEnd(DownloadState.CANCELLED, null)).isFalse();
        assertThat(lifecycle.toWaiting("w")).isFalse();
        lifecycle.ended(DownloadState.FAILED, "broken");
        assertThat(lifecycle.state()).isEqualTo(DownloadState.FAILED);
        assertThat(lifecycle.error()).isEqualTo("broken");
        assertThat(lifecycle.claimEnd(DownloadState.FINISHED, null)).isFalse();
        assertThatThrownBy(() -> lifecycle.claimEnd(DownloadState.RUNNING, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
