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
     * 64 MiB or 1 s: about half a second of a gigabit link per fdatasync, little enough page cache to flush in
     * one go, and at most that much fetched again after a power cut.
     */
    static final CommitPolicy DEFAULT = new CommitPolicy(64L << 20, TimeUnit.SECONDS.toNanos(1), System::nanoTime);

    CommitPolicy {
        maxBytes = Math.max(1, maxBytes);
        maxDelayNanos = Math.max(0, maxDelayNanos);
    }
}
