package io.lanspread.transport.quic.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The server's bound on file bytes held in memory across every stream and connection: read from disk and not
 * yet accepted by QUIC. A stream that finds the budget spent waits in line (without a thread) and goes on, on
 * the I/O executor, once earlier reads have been sent. Without it, clients that ask for data and never read
 * it could make the server hold any amount.
 */
final class ReadBudget implements SendBudget {

    private record Waiter(int bytes, Runnable task) {
    }

    private final long total;
    private final Executor executor;
    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private long available;

    ReadBudget(long bytes, Executor executor) {
        this.total = bytes;
        this.available = bytes;
        this.executor = executor;
    }

    /**
     * Takes {@code bytes} (capped at the whole budget) when they are free and nobody waits before; returns
     * true then, and the caller goes on. Otherwise {@code then} runs on the executor once they are taken.
     */
    @Override
    public synchronized boolean acquireOrWait(int bytes, Runnable then) {
        int n = (int) Math.min(bytes, total);
        if (waiting.isEmpty() && available >= n) {
            available -= n;
            return true;
        }
        waiting.add(new Waiter(n, then));
        return false;
    }

    /** Gives back what {@link #acquireOrWait} took for {@code bytes}. */
    @Override
    public void release(int bytes) {
        Deque<Runnable> granted = new ArrayDeque<>();
        synchronized (this) {
            available += Math.min(bytes, total);
            while (!waiting.isEmpty() && available >= waiting.peek().bytes()) {
                Waiter next = waiting.poll();
                available -= next.bytes();
                granted.add(next.task());
            }
        }
        for (Runnable task : granted) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                return; // shutting down: the streams are closed with their connections
            }
        }
    }

    synchronized long available() {
        return available;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
