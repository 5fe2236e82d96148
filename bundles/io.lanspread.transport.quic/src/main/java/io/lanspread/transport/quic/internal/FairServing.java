package io.lanspread.transport.quic.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fairness on the uplink: at most {@code perPeer} file requests of one remote peer and {@code total} of all
 * are served at once; the others wait, never fail, and are let in round robin across the remote peers that
 * wait (one each in turn, in the order they first waited), so one fast downloader with many requests queued
 * cannot starve another. A request holds its place from {@link #submit} until {@link #done}. Limits change
 * live: raising them lets waiting requests in at once; lowering them lets the requests being served finish.
 * Thread-safe.
 */
final class FairServing {

    private final Map<String, Integer> serving = new HashMap<>();
    /** Requests waiting, per remote peer; a peer is in here only while it has some. */
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();
    /** The peers with waiting requests, in turn order: the head goes next, then moves to the tail. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int perPeer;
    private int total;
    private int servingCount;
    private int waitingCount;

    FairServing(int perPeer, int total) {
        resize(perPeer, total);
    }

    /** New limits (at least 1 each); requests already served finish, waiting ones enter as room allows. */
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
     * Serves a request of {@code peer}: {@code start} runs now on this thread when there is room, else later on
     * the thread that makes room ({@link #done} or {@link #resize}). The caller calls {@link #done} once it is
     * over (answered, failed or reset).
     */
    void submit(String peer, Runnable start) {
        synchronized (this) {
            if (waitingCount == 0 && room(peer)) {
                enter(peer);
            } else {
                ArrayDeque<Runnable> queue = waiting.computeIfAbsent(peer, p -> new ArrayDeque<>());
                if (queue.isEmpty()) {
                    turns.addLast(peer);
                }
                queue.addLast(start);
                waitingCount++;
                start = null;
            }
        }
        if (start != null) {
            start.run();
        }
        List<Runnable> started;
        synchronized (this) {
            started = admit(); // a peer at its own limit may leave room that another waiting one can take
        }
        started.forEach(Runnable::run);
    }

    /** A request of {@code peer} let in before is over: its place goes to the next one waiting, in turn. */
    void done(String peer) {
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

    /** Requests being served now. */
    synchronized int serving() {
        return servingCount;
    }

    /** Requests waiting for room now. */
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

    /** Lets waiting requests in while there is room, one peer at a time in turn; returns them to be started. */
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
