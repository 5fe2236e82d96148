package io.lanspread.download.internal.schedule;

import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * The state of every chunk of one download: done, being written (verified, the winning copy), requested
 * (how many requests are in flight, and how many of those from sources that are not stalled), and how often
 * it failed. A chunk is <em>open</em> when it is none of done, written or requested from a live source: the
 * planner's "unrequested". Confined to the download's serial executor.
 */
public final class ChunkBoard {
    private final int count;
    private final BitSet done;
    private final BitSet writing = new BitSet();
    private final int[] requests;
    private final int[] liveRequests;
    private final int[] failures;
    private int doneCount;
    private int open;
    /** No open chunk below this index. */
    private int firstOpen;

    public ChunkBoard(int count, BitSet alreadyDone) {
        this.count = count;
        this.done = (BitSet) alreadyDone.clone();
        this.done.clear(count, Math.max(count, this.done.length()));
        this.requests = new int[count];
        this.liveRequests = new int[count];
        this.failures = new int[count];
        this.doneCount = done.cardinality();
        this.open = count - doneCount;
    }

    public int count() {
        return count;
    }

    public boolean isDone(int index) {
        return done.get(index);
    }

    public boolean isWriting(int index) {
        return writing.get(index);
    }

    /** Done or being written: a copy already won. */
    public boolean isSettled(int index) {
        return done.get(index) || writing.get(index);
    }

    public boolean isOpen(int index) {
        return !done.get(index) && !writing.get(index) && liveRequests[index] == 0;
    }

    /** Requests in flight from live sources, plus one while the winning copy is written. */
    public int inFlight(int index) {
        return liveRequests[index] + (writing.get(index) ? 1 : 0);
    }

    public int requests(int index) {
        return requests[index];
    }

    public int open() {
        return open;
    }

    public int remaining() {
        return count - doneCount;
    }

    public int doneCount() {
        return doneCount;
    }

    public BitSet done() {
        return (BitSet) done.clone();
    }

    public int failures(int index) {
        return failures[index];
    }

    public int failed(int index) {
        return ++failures[index];
    }

    // --- transitions; each keeps the open count right

    public void requested(int index, boolean live) {
        change(index, () -> {
            requests[index]++;
            if (live) {
                liveRequests[index]++;
            }
        });
    }

    /** A request ended (answered, failed, or cancelled). */
    public void requestEnded(int index, boolean live) {
        change(index, () -> {
            requests[index]--;
            if (live) {
                liveRequests[index]--;
            }
        });
    }

    /** A request's source stalled (it no longer counts as live) or came back. */
    public void liveness(int index, boolean live) {
        change(index, () -> liveRequests[index] += live ? 1 : -1);
    }

    public void writing(int index) {
        change(index, () -> writing.set(index));
    }

    public void written(int index) {
        change(index, () -> {
            writing.clear(index);
            if (!done.get(index)) {
                done.set(index);
                doneCount++;
            }
        });
    }

    /**
     * A done chunk turned out bad on disk: open again, to be fetched and written anew.
     *
     * @return whether it was done
     */
    public boolean lost(int index) {
        if (!done.get(index) || writing.get(index)) {
            return false;
        }
        change(index, () -> {
            done.clear(index);
            doneCount--;
        });
        return true;
    }

    public void writeFailed(int index) {
        change(index, () -> writing.clear(index));
    }

    private void change(int index, Runnable mutation) {
        boolean wasOpen = isOpen(index);
        mutation.run();
        boolean isOpen = isOpen(index);
        if (wasOpen != isOpen) {
            open += isOpen ? 1 : -1;
            if (isOpen && index < firstOpen) {
                firstOpen = index;
            }
        }
    }

    /** Whether an open chunk satisfies {@code held} (a source's endgame test). */
    public boolean anyOpen(IntPredicate held) {
        while (firstOpen < count && !isOpen(firstOpen)) {
            firstOpen++;
        }
        for (int i = firstOpen; i < count; i++) {
            if (isOpen(i) && held.test(i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some chunk not yet done satisfies {@code held} (is there anything left a source could serve). */
    public boolean anyRemaining(IntPredicate held) {
        for (int i = done.nextClearBit(0); i < count; i = done.nextClearBit(i + 1)) {
            if (!writing.get(i) && held.test(i)) {
                return true;
            }
        }
        return false;
    }
}
