package io.lanspread.transport.quic.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fairness on the uplink: at most {@code perPeer} chunk reads for one remote peer and {@code total} for all
 * run at once; the others wait, never fail, and are let in round robin across the remote peers that wait
 * (one each in turn, in the order they first waited), so one downloader with many requests queued cannot
 * take every read from another. A place is held only while one chunk is read and handed to QUIC ({@link
 * #enterOrQueue} to {@link #leave}), never while its bytes wait for a client that does not read: what a
 * client has not read is bounded by the send budgets, and places held across that wait let clients that never
 * read hold them all. Limits change live: raising them lets waiting reads in at once; lowering them lets the
 * reads under way finish. Thread-safe.
 */
final class FairServing {

    private final Map<String, Integer> serving = new HashMap<>();
    /** Reads waiting, per remote peer; a peer is in here only while it has some. */
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();
    /** The peers with waiting reads, in turn order: the head goes next, then moves to the tail. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int perPeer;
    private int total;
    private int servingCount;
    private int waitingCount;

    /** The places of one remote peer: what a stream's reads take and give back. */
    record Turns(FairServing fair, String peer) {
        boolean enterOrQueue(Runnable later) {
            return fair.enterOrQueue(peer, later);
        }

        void leave() {
            fair.leave(peer);
        }
    }

    FairServing(int perPeer, int total) {
        resize(perPeer, total);
    }

    /** New limits (at least 1 each); reads under way finish, waiting ones enter as room allows. */
    void resize(int perPeer, int total) {
        List<Runnable> started;
        synchronized (this) {
            this.perPeer = Math.max(1, perPeer);
            this.total = Math.max(1, total);
            started = admit();
        }
        started.forEach(Runnable::run);
    }

    /**
     * Takes a place for a read of {@code peer}: true when it got one now ({@code later} is not run); false when
     * it waits, and then {@code later} runs, holding the place, on the thread that made room ({@link #leave}
     * or {@link #resize}), which must not block: {@code later} only hands the read to an executor. The holder
     * calls {@link #leave} once the read is over.
     */
    boolean enterOrQueue(String peer, Runnable later) {
        boolean entered;
        synchronized (this) {
            entered = waitingCount == 0 && room(peer);
            if (entered) {
                enter(peer);
            } else {
                ArrayDeque<Runnable> queue = waiting.computeIfAbsent(peer, p -> new ArrayDeque<>());
                if (queue.isEmpty()) {
                    turns.addLast(peer);
                }
                queue.addLast(later);
                waitingCount++;
            }
        }
        List<Runnable> started;
        synchronized (this) {
            started = admit(); // a peer at its own limit may leave room that another waiting one can take
        }
        started.forEach(Runnable::run);
        return entered;
    }

    /** A read of {@code peer} let in before is over: its place goes to the next one waiting, in turn. */
    void leave(String peer) {
        List<Runnable> started;
        synchronized (this) {
            Integer now = serving.get(peer);
            if (now == null) {
                return;
            }
            if (now <= 1) {
                serving.remove(peer);
            } else {
                serving.put(peer, now - 1);
            }
            servingCount--;
            started = admit();
        }
        started.forEach(Runnable::run);
    }

    synchronized int perPeer() {
        return perPeer;
    }

    synchronized int total() {
        return total;
    }

    /** Reads under way now. */
    synchronized int serving() {
        return servingCount;
    }

    /** Reads waiting for a place now. */
    synchronized int waiting() {
        return waitingCount;
    }

    synchronized int serving(String peer) {
        return serving.getOrDefault(peer, 0);
    }

    private boolean room(String peer) {
        return servingCount < total && serving.getOrDefault(peer, 0) < perPeer;
    }

    private void enter(String peer) {
        serving.merge(peer, 1, Integer::sum);
        servingCount++;
    }

    /** Lets waiting reads in while there is room, one peer at a time in turn; returns them to be started. */
    private List<Runnable> admit() {
        List<Runnable> started = new ArrayList<>();
        boolean progress = true;
        while (progress && servingCount < total && !turns.isEmpty()) {
            progress = false;
            int peers = turns.size();
            for (int k = 0; k < peers && servingCount < total; k++) {
                String peer = turns.pollFirst();
                ArrayDeque<Runnable> queue = waiting.get(peer);
                if (room(peer)) {
                    enter(peer);
                    started.add(queue.pollFirst());
                    waitingCount--;
                    progress = true;
                }
                if (queue.isEmpty()) {
                    waiting.remove(peer);
                } else {
                    turns.addLast(peer);
                }
            }
        }
        return started;
    }
}
