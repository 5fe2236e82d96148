package io.lanspread.download.internal;

import java.util.ArrayDeque;

/** Bytes per second over a sliding window of (time, total bytes) samples. Not thread-safe. */
final class RateMeter {
    private final long windowNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    RateMeter(long windowNanos, long startNanos) {
        this.windowNanos = windowNanos;
        samples.add(new long[] { startNanos, 0 });
    }

    long sample(long nowNanos, long totalBytes) {
        samples.addLast(new long[] { nowNanos, totalBytes });
        while (samples.size() > 2 && nowNanos - samples.getFirst()[0] > windowNanos) {
            samples.removeFirst();
        }
        long[] first = samples.getFirst();
        long elapsed = nowNanos - first[0];
        return elapsed <= 0 ? 0 : (long) ((totalBytes - first[1]) * 1_000_000_000.0 / elapsed);
    }
}
