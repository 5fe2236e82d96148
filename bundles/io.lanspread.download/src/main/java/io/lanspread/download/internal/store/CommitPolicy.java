package io.lanspread.download.internal.store;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When written chunks are made durable (group commit): once the bytes waiting reach {@code maxBytes}, or the
 * oldest of them waited {@code maxDelayNanos}.
 *
 * @param maxBytes      unforced bytes after which a commit is due
 * @param maxDelayNanos how long a written chunk may wait for its commit
 * @param nanoClock     the clock the delay is measured with
 */
record CommitPolicy(long maxBytes, long maxDelayNanos, LongSupplier nanoClock) {
    /**
     * 16 MiB or 1 s: an fdatasync per 32 chunks instead of per chunk, and at most that much fetched again after
     * a crash or power cut (with 64 MiB a receiver killed half-way made its source send 1.06x the game).
     */
    static final CommitPolicy DEFAULT = new CommitPolicy(16L << 20, TimeUnit.SECONDS.toNanos(1), System::nanoTime);

    CommitPolicy {
        maxBytes = Math.max(1, maxBytes);
        maxDelayNanos = Math.max(0, maxDelayNanos);
    }
}
