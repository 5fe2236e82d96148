package io.lanspread.bridge.shell.internal;

import java.time.Duration;
import java.util.Locale;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;

/** The log lines of a download: its begin, its progress, its end with the outcome. */
final class ProgressLines {

    private ProgressLines() {
    }

    static String begin(DownloadStatus s) {
        return "Download " + s.id() + " of " + game(s) + " began" + (s.sources() > 0 ? " with " + peers(s.sources()) : "");
    }

    /** {@code Download ... of space-race 1.2.0: 42.0 % (12.3 MiB of 29.3 MiB) at 10.2 MiB/s, ETA 2s, 3 of 3 peers}. */
    static String progress(DownloadStatus s) {
        StringBuilder line = new StringBuilder("Download ").append(s.id()).append(" of ").append(game(s)).append(": ");
        if (s.state() != DownloadState.RUNNING) {
            line.append(s.state().name().toLowerCase(Locale.ROOT)).append(", ");
        }
        if (s.totalBytes() <= 0) {
            return line.append("asking the peers for the game's manifest").toString();
        }
        line.append(Units.percent(s.downloadedBytes(), s.totalBytes()))
                .append(" (").append(Units.bytes(s.downloadedBytes())).append(" of ").append(Units.bytes(s.totalBytes()))
                .append(") at ").append(Units.speed(s.bytesPerSecond()))
                .append(", ETA ").append(Units.eta(s.totalBytes() - s.downloadedBytes(), s.bytesPerSecond()))
                .append(", ").append(s.activePeers()).append(" of ").append(peers(s.sources()));
        if (!s.notes().isEmpty()) {
            line.append("; ").append(Units.sentence(s.notes().get(s.notes().size() - 1)));
        }
        return line.toString();
    }

    /** The end: finished (with size, time and the fetched/reused split), failed (why) or cancelled. */
    static String end(DownloadStatus s, Duration took) {
        String head = "Download " + s.id() + " of " + game(s);
        String time = took == null ? "" : " in " + Units.duration(took);
        return switch (s.state()) {
            case FINISHED -> head + " finished: " + Units.bytes(s.totalBytes()) + time + " ("
                    + Units.bytes(s.fetchedBytes()) + " fetched, " + Units.bytes(s.reusedBytes()) + " reused), installed";
            case FAILED -> head + " failed" + time + ": " + Units.sentence(s.error());
            case CANCELLED -> head + " cancelled" + time + "; what it wrote is deleted";
            default -> head + " stopped (" + s.state().name() + ")";
        };
    }

    private static String game(DownloadStatus s) {
        return s.version() == null ? s.gameId() : s.gameId() + " " + s.version();
    }

    private static String peers(int n) {
        return n == 1 ? "1 peer" : n + " peers";
    }
}
