package io.lanspread.download.internal.store;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Group commit for one store: chunks written since the last commit wait here unforced; a commit forces every
 * file they went to and only then marks them, so a mark always points at durable bytes. A commit is due once
 * the waiting bytes reach the policy's size or the oldest waited its delay. Commits run one at a time; writes
 * go on meanwhile, into the next batch. A batch whose commit failed is dropped, never marked: after a failed
 * force its bytes may not be on disk. Thread-safe.
 *
 * @param <F> the files written to
 */
final class DurabilityBatcher<F> {

    /** Makes what was written to a file durable. */
    interface Forcer<F> {
        void force(F file) throws IOException;
    }

    /** Marks chunks whose bytes are durable. */
    interface Marker {
        void mark(int[] indices) throws IOException;
    }

    private final CommitPolicy policy;
    private final Forcer<F> forcer;
    private final Marker marker;
    private final Object commitLock = new Object();
    /** The batch being filled; guarded by this. */
    private Set<F> files = new LinkedHashSet<>();
    private int[] indices = new int[16];
    private int count;
    private long bytes;
    private long firstNanos;

    DurabilityBatcher(CommitPolicy policy, Forcer<F> forcer, Marker marker) {
        this.policy = policy;
        this.forcer = forcer;
        this.marker = marker;
    }

    /** A chunk's bytes were written to {@code file} (and the write returned); true when a commit is due now. */
    synchronized boolean written(F file, int index, int length) {
        if (count == 0) {
            firstNanos = policy.nanoClock().getAsLong();
        }
        files.add(file);
        if (count == indices.length) {
            indices = Arrays.copyOf(indices, count * 2);
        }
        indices[count++] = index;
        bytes += length;
        return due();
    }

    /** Whether chunks wait for a commit. */
    synchronized boolean pending() {
        return count > 0;
    }

    /** Whether the waiting chunks reached the size, or the oldest of them the delay. */
    synchronized boolean due() {
        return count > 0 && (bytes >= policy.maxBytes()
                || policy.nanoClock().getAsLong() - firstNanos >= policy.maxDelayNanos());
    }

    /**
     * Forces the files of every chunk written before this call, then marks those chunks. Waits for a commit
     * under way. Does nothing when no chunk waits.
     */
    void commit() throws IOException {
        synchronized (commitLock) {
            Set<F> toForce;
            int[] toMark;
            synchronized (this) {
                if (count == 0) {
                    return;
                }
                toForce = files;
                toMark = Arrays.copyOf(indices, count);
                clear();
            }
            for (F file : toForce) {
                forcer.force(file);
            }
            marker.mark(toMark);
        }
    }

    /** Forgets the waiting chunks unmarked (the store is discarded). */
    synchronized void drop() {
        clear();
    }

    private void clear() {
        files = new LinkedHashSet<>();
        count = 0;
        bytes = 0;
    }
}
