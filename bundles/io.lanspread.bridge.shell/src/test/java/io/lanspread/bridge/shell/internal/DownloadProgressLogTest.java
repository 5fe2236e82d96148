package io.lanspread.bridge.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;

class DownloadProgressLogTest {

    private static final long MIB = 1L << 20;

    private final List<String> lines = new ArrayList<>();
    private long now = 1_000;
    private final DownloadProgressLog log = new DownloadProgressLog(interval(5), new DownloadProgressLog.Sink() {
        @Override
        public void info(String line) {
            lines.add("INFO " + line);
        }

        @Override
        public void warn(String line) {
            lines.add("WARN " + line);
        }
    }, () -> now);

    @Test
    void logsTheBeginProgressEveryFewSecondsAndTheEnd() {
        log.onEvent(new LanspreadEvent.DownloadBegin(status(DownloadState.RUNNING, 0, 0, 0)));
        for (int halfSeconds = 1; halfSeconds <= 24; halfSeconds++) { // 12 s of progress every 500 ms
            now += TimeUnit.MILLISECONDS.toNanos(500);
            log.onEvent(new LanspreadEvent.DownloadProgress(status(DownloadState.RUNNING, halfSeconds * MIB, 24 * MIB, 2 * MIB)));
        }
        now += TimeUnit.SECONDS.toNanos(1);
        log.onEvent(new LanspreadEvent.DownloadFinished(status(DownloadState.FINISHED, 24 * MIB, 24 * MIB, 0)));

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("INFO Download d1 of space-race 1.2.0 began with 2 peers");
        assertThat(lines.get(1)).isEqualTo(
                "INFO Download d1 of space-race 1.2.0: 41.7 % (10.0 MiB of 24.0 MiB) at 2.00 MiB/s, ETA 7s, 1 of 2 peers");
        assertThat(lines.get(2)).startsWith("INFO Download d1 of space-race 1.2.0: 83.3 % (20.0 MiB of 24.0 MiB)")
                .contains("ETA 2s");
        assertThat(lines.get(3)).isEqualTo(
                "INFO Download d1 of space-race 1.2.0 finished: 24.0 MiB in 13s (24.0 MiB fetched, 0 B reused), installed");
    }

    @Test
    void aChangeOfStateIsLoggedAtOnce() {
        log.onEvent(new LanspreadEvent.DownloadBegin(status(DownloadState.RUNNING, 0, 0, 0)));
        now += TimeUnit.MILLISECONDS.toNanos(500);
        log.onEvent(new LanspreadEvent.DownloadProgress(new DownloadStatus("d1", "space-race", "1.2.0",
                DownloadState.WAITING, MIB, 24 * MIB, MIB, 0, 0, 0, 0, List.of("no peer that has the content is reachable"), null)));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("waiting, 4.2 %").contains("ETA -").endsWith("No peer that has the content is reachable.");
    }

    @Test
    void aFailureIsAWarningWithItsReason() {
        log.onEvent(new LanspreadEvent.DownloadBegin(status(DownloadState.RUNNING, 0, 0, 0)));
        now += TimeUnit.SECONDS.toNanos(3);
        log.onEvent(new LanspreadEvent.DownloadFailed(new DownloadStatus("d1", "space-race", "1.2.0", DownloadState.FAILED,
                0, 24 * MIB, 0, 0, 0, 0, 0, List.of(), "the disk is full")));
        assertThat(lines.get(1)).isEqualTo("WARN Download d1 of space-race 1.2.0 failed in 3s: The disk is full.");
    }

    @Test
    void aDownloadSeenFirstInProgressIsLoggedAndItsCancelToo() {
        log.onEvent(new LanspreadEvent.DownloadProgress(status(DownloadState.RUNNING, MIB, 24 * MIB, MIB)));
        log.onEvent(new LanspreadEvent.DownloadCancelled(status(DownloadState.CANCELLED, MIB, 24 * MIB, 0)));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("INFO Download d1 of space-race 1.2.0 cancelled in 0s; what it wrote is deleted");
    }

    @Test
    void otherEventsAreIgnored() {
        log.onEvent(new LanspreadEvent.PeerLost("p", "peer"));
        assertThat(lines).isEmpty();
    }

    private static DownloadStatus status(DownloadState state, long done, long total, long speed) {
        return new DownloadStatus("d1", "space-race", "1.2.0", state, done, total, done, 0, speed, 1, 2, List.of(), null);
    }

    private static DownloadProgressLog.Config interval(int seconds) {
        return new DownloadProgressLog.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DownloadProgressLog.Config.class;
            }

            @Override
            public int progress_interval_seconds() {
                return seconds;
            }
        };
    }
}
