package io.lanspread.download.internal.source;

import java.util.function.LongSupplier;

/**
 * Bytes per second over a sliding window of a few seconds, in fixed buckets so that a burst of chunks does
 * not make a link look faster than it is for long. Not thread-safe: used on one download's serial executor.
 */
public final class Throughput {
    private static final long BUCKET_NANOS = 250_000_000L;
    private static final int BUCKETS = 16; // 4 s

    private final LongSupplier nanoClock;
    private final long[] bytes = new long[BUCKETS];
    private final long[] bucketOf = new long[BUCKETS];
    private final long startNanos;

    public Throughput(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        java.util.Arrays.fill(bucketOf, -1);
    }

    public void add(long count) {
        long bucket = (nanoClock.getAsLong() - startNanos) / BUCKET_NANOS;
        int slot = (int) (bucket % BUCKETS);
        if (bucketOf[slot] != bucket) {
            bucketOf[slot] = bucket;
            bytes[slot] = 0;
        }
        bytes[slot] += count;
    }

    public long bytesPerSecond() {
        long elapsed = nanoClock.getAsLong() - startNanos;
        long now = elapsed / BUCKET_NANOS;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketOf[i] >= 0 && now - bucketOf[i] < BUCKETS) {
                sum += bytes[i];
            }
        }
        // a young download divides by the time it has run, not by the whole window
        long windowNanos = Math.max(BUCKET_NANOS, Math.min(elapsed, BUCKETS * BUCKET_NANOS));
        return sum * 1_000_000_000L / windowNanos;
    }
}
