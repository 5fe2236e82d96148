package io.lanspread.events.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEvent.DownloadBegin;
import io.lanspread.api.event.LanspreadEvent.DownloadCancelled;
import io.lanspread.api.event.LanspreadEvent.DownloadFailed;
import io.lanspread.api.event.LanspreadEvent.DownloadFinished;
import io.lanspread.api.event.LanspreadEvent.DownloadProgress;

/**
 * Lets through at most one progress event per download per interval. A progress event that comes too soon is
 * held (a newer one replaces it) and released when the interval is over ({@link #flush}), or at once before
 * the next other event of that download, so the last progress before the end is never lost and the events of
 * one download keep their order. A progress event with another state than the one before it (RUNNING to
 * WAITING, say) is let through at once. Not thread-safe; the hub guards it.
 */
final class ProgressCoalescer {

    /** Asks for {@link #flush} of a download after a delay; the answer can be cancelled. */
    @FunctionalInterface
    interface FlushTimer {
        Future<?> flushLater(String downloadId, long delayNanos);
    }

    private static final class Track {
        long lastSentNanos;
        DownloadState lastState;
        DownloadProgress held;
        Future<?> flush;
    }

    private volatile long intervalNanos;
    private final FlushTimer timer;
    private final Map<String, Track> tracks = new HashMap<>();

    /** Progress from now on is coalesced over {@code nanos}; a flush already set keeps its time. */
    void setInterval(long nanos) {
        intervalNanos = nanos;
    }

    ProgressCoalescer(long intervalNanos, FlushTimer timer) {
        this.intervalNanos = intervalNanos;
        this.timer = timer;
    }

    /** The events to number now, in order (none while a progress event is held). */
    List<LanspreadEvent> offer(LanspreadEvent event, long nowNanos) {
        if (event instanceof DownloadProgress progress) {
            return offerProgress(progress, nowNanos);
        }
        DownloadStatus status = statusOf(event);
        if (status == null) {
            return List.of(event);
        }
        List<LanspreadEvent> out = new ArrayList<>(2);
        Track track = ended(event) ? tracks.remove(status.id()) : tracks.get(status.id());
        if (track != null) {
            releaseHeld(track, out);
        }
        out.add(event);
        return out;
    }

    /** The held progress event of a download, when its interval is over. */
    Optional<DownloadProgress> flush(String downloadId, long nowNanos) {
        Track track = tracks.get(downloadId);
        if (track == null || track.held == null) {
            return Optional.empty();
        }
        DownloadProgress held = track.held;
        track.held = null;
        track.flush = null;
        track.lastSentNanos = nowNanos;
        return Optional.of(held);
    }

    /** How many downloads are followed (ended ones are forgotten). */
    int tracked() {
        return tracks.size();
    }

    /** Forgets everything (the hub stops); pending flushes are cancelled. */
    void clear() {
        tracks.values().forEach(t -> cancelFlush(t));
        tracks.clear();
    }

    private List<LanspreadEvent> offerProgress(DownloadProgress progress, long nowNanos) {
        DownloadStatus status = progress.status();
        Track track = tracks.get(status.id());
        if (track == null) {
            track = new Track();
            tracks.put(status.id(), track);
            return send(track, progress, nowNanos, List.of());
        }
        DownloadState before = track.held != null ? track.held.status().state() : track.lastState;
        if (before != null && before != status.state()) {
            List<LanspreadEvent> out = new ArrayList<>(2);
            releaseHeld(track, out);
            return send(track, progress, nowNanos, out);
        }
        if (track.held == null && nowNanos - track.lastSentNanos >= intervalNanos) {
            return send(track, progress, nowNanos, List.of());
        }
        track.held = progress;
        if (track.flush == null) {
            long due = Math.max(0, track.lastSentNanos + intervalNanos - nowNanos);
            track.flush = timer.flushLater(status.id(), due);
        }
        return List.of();
    }

    private static List<LanspreadEvent> send(Track track, DownloadProgress progress, long nowNanos,
            List<LanspreadEvent> before) {
        track.lastSentNanos = nowNanos;
        track.lastState = progress.status().state();
        if (before.isEmpty()) {
            return List.of(progress);
        }
        before.add(progress);
        return before;
    }

    private static void releaseHeld(Track track, List<LanspreadEvent> out) {
        if (track.held != null) {
            out.add(track.held);
            track.held = null;
        }
        cancelFlush(track);
    }

    private static void cancelFlush(Track track) {
        if (track.flush != null) {
            track.flush.cancel(false);
            track.flush = null;
        }
    }

    private static boolean ended(LanspreadEvent event) {
        return event instanceof DownloadFinished || event instanceof DownloadFailed
                || event instanceof DownloadCancelled;
    }

    private static DownloadStatus statusOf(LanspreadEvent event) {
        if (event instanceof DownloadBegin e) {
            return e.status();
        } else if (event instanceof DownloadFinished e) {
            return e.status();
        } else if (event instanceof DownloadFailed e) {
            return e.status();
        } else if (event instanceof DownloadCancelled e) {
            return e.status();
        }
        return null;
    }
}
