package io.lanspread.download.internal.source;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Bytes per second over a sliding window of a few seconds, in fixed buckets so that a burst of chunks does
 * not make a link look faster than it is for long. Not thread-safe: used on one download's serial executor.
 */
public final class Throughput {
    private static final long BUCKET_NANOS = 250_000_000L;
    private static final int BUCKETS = 16; // 4 s
    private static final long UNSET = Long.MIN_VALUE;

    private final LongSupplier nanoClock;
    private final long[] bytes = new long[BUCKETS];
    private final long[] bucketOf = new long[BUCKETS];
    private long startNanos;

    /** Measured from now: a source's rate, for the planners, counts from the moment it joined. */
    public Throughput(LongSupplier nanoClock) {
        this(nanoClock, nanoClock.getAsLong());
    }

    private Throughput(LongSupplier nanoClock, long startNanos) {
        this.nanoClock = nanoClock;
        this.startNanos = startNanos;
        Arrays.fill(bucketOf, -1);
    }

    /**
     * Measured from the first bytes added, which count only as that moment: the rate a person is shown. The time
     * before any transfer (finding peers, fetching the manifest, the first requests in flight) would otherwise
     * make a young download look several times slower than it is, and its first estimates of the time left
     * far too long. Until a second sample arrives the rate is 0 (unknown).
     */
    public static Throughput sinceFirstBytes(LongSupplier nanoClock) {
        return new Throughput(nanoClock, UNSET);
    }

    public void add(long count) {
        long nowNanos = nanoClock.getAsLong();
        if (startNanos == UNSET) {
            startNanos = nowNanos; // these bytes were moved before the clock started: not part of the rate
            return;
        }
        long bucket = (nowNanos - startNanos) / BUCKET_NANOS;
        int slot = (int) (bucket % BUCKETS);
        if (bucketOf[slot] != bucket) {
            bucketOf[slot] = bucket;
            bytes[slot] = 0;
        }
        bytes[slot] += count;
    }

    public long bytesPerSecond() {
        if (startNanos == UNSET) {
            return 0;
        }
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
