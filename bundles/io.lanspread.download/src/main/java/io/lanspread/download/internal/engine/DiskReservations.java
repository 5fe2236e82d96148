package io.lanspread.download.internal.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * The disk space that running downloads still need, so that two downloads that do not both fit are not
 * both started: a sparse staging file takes no space until it is written, so the free space alone says
 * nothing about what running downloads will take. A download reserves what it still has to write when its
 * store opens, gives back each chunk as it lands on disk (the free space then shows it), and the rest when
 * it ends. Thread-safe.
 */
public final class DiskReservations {
    private final Map<String, Long> remaining = new HashMap<>();

    /**
     * Reserves {@code bytes} for {@code downloadId} (replacing what it had reserved) when they fit into
     * {@code freeBytes} next to what the other downloads still need.
     *
     * @return the bytes the other downloads hold when it does not fit, else -1
     */
    synchronized long reserve(String downloadId, long bytes, long freeBytes) {
        long others = 0;
        for (Map.Entry<String, Long> e : remaining.entrySet()) {
            if (!e.getKey().equals(downloadId)) {
                others += e.getValue();
            }
        }
        if (freeBytes - others < bytes) {
            return others;
        }
        remaining.put(downloadId, bytes);
        return -1;
    }

    /**
     * Holds {@code bytes} for {@code downloadId} without checking them against the free space: a download a
     * previous run left has already been admitted, and what it still needs must count against new downloads.
     */
    synchronized void hold(String downloadId, long bytes) {
        remaining.put(downloadId, Math.max(0, bytes));
    }

    /** {@code bytes} of the download are now on disk. */
    synchronized void written(String downloadId, long bytes) {
        remaining.computeIfPresent(downloadId, (id, left) -> Math.max(0, left - bytes));
    }

    synchronized void release(String downloadId) {
        remaining.remove(downloadId);
    }

    /** What {@code downloadId} still holds (for tests and logs). */
    synchronized long reserved(String downloadId) {
        return remaining.getOrDefault(downloadId, 0L);
    }
}
