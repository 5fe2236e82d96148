package io.lanspread.events.internal;

import static io.lanspread.events.internal.Events.begin;
import static io.lanspread.events.internal.Events.cancelled;
import static io.lanspread.events.internal.Events.finished;
import static io.lanspread.events.internal.Events.lost;
import static io.lanspread.events.internal.Events.progress;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadState;

/** The coalescing rules, on a clock the test moves. */
class ProgressCoalescerTest {

    private static final long MS = 1_000_000;
    private static final long INTERVAL = 500 * MS;

    private record Flush(String downloadId, long delayNanos, CompletableFuture<Void> handle) {
    }

    private final List<Flush> flushes = new ArrayList<>();
    private final ProgressCoalescer coalescer = new ProgressCoalescer(INTERVAL, (id, delay) -> {
        Flush flush = new Flush(id, delay, new CompletableFuture<>());
        flushes.add(flush);
        return flush.handle();
    });

    @Test
    void theFirstProgressPassesAndOnesTooSoonAreHeldTheNewestReplacingOlder() {
        assertThat(coalescer.offer(progress("d", 1), 0)).containsExactly(progress("d", 1));

        assertThat(coalescer.offer(progress("d", 2), 100 * MS)).isEmpty();
        assertThat(coalescer.offer(progress("d", 3), 200 * MS)).isEmpty();

        assertThat(flushes).singleElement().satisfies(f -> {
            assertThat(f.downloadId()).isEqualTo("d");
            assertThat(f.delayNanos()).isEqualTo(400 * MS); // due 500 ms after the last one sent
        });
        assertThat(coalescer.flush("d", 500 * MS)).contains(progress("d", 3));
        assertThat(coalescer.flush("d", 500 * MS)).isEmpty();
    }

    @Test
    void progressAfterAQuietIntervalPassesAtOnce() {
        coalescer.offer(progress("d", 1), 0);

        assertThat(coalescer.offer(progress("d", 2), 500 * MS)).containsExactly(progress("d", 2));
        assertThat(coalescer.offer(progress("d", 3), 1100 * MS)).containsExactly(progress("d", 3));
        assertThat(flushes).isEmpty();
    }

    @Test
    void theHeldProgressGoesOutBeforeTheEndAndTheDownloadIsForgotten() {
        coalescer.offer(begin("d"), 0);
        coalescer.offer(progress("d", 1), 0);
        coalescer.offer(progress("d", 999), 10 * MS);

        assertThat(coalescer.offer(finished("d"), 20 * MS)).containsExactly(progress("d", 999), finished("d"));

        assertThat(flushes).singleElement().satisfies(f -> assertThat(f.handle().isCancelled()).isTrue());
        assertThat(coalescer.flush("d", 600 * MS)).isEmpty();
        assertThat(coalescer.tracked()).isZero();
    }

    @Test
    void aChangeOfStateIsNeverHeldBackNorReorderedWithTheProgressBeforeIt() {
        coalescer.offer(progress("d", 1), 0);
        coalescer.offer(progress("d", 2), 10 * MS);

        assertThat(coalescer.offer(progress("d", DownloadState.WAITING, 2), 20 * MS))
                .containsExactly(progress("d", 2), progress("d", DownloadState.WAITING, 2));
        assertThat(coalescer.offer(progress("d", DownloadState.RUNNING, 3), 30 * MS))
                .containsExactly(progress("d", DownloadState.RUNNING, 3));
    }

    @Test
    void downloadsAreCoalescedEachOnItsOwnAndOtherEventsPassUntouched() {
        coalescer.offer(progress("a", 1), 0);
        coalescer.offer(progress("a", 2), 10 * MS);

        assertThat(coalescer.offer(progress("b", 1), 20 * MS)).containsExactly(progress("b", 1));
        assertThat(coalescer.offer(lost(1), 30 * MS)).containsExactly(lost(1));
        assertThat(coalescer.offer(cancelled("b"), 40 * MS)).containsExactly(cancelled("b"));
        assertThat(coalescer.tracked()).isEqualTo(1);
        assertThat(coalescer.flush("a", 500 * MS)).contains(progress("a", 2));
    }
}
