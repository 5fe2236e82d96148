package io.lanspread.transport.quic.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lanspread.api.transport.PeerRequestException;

/**
 * The outcome of one client request: settled once (result, failure or timeout, whichever comes first),
 * and always completed on the client's executor, never on an event loop, so callers may block in callbacks.
 */
final class Completion<T> {

    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final Executor executor;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();
    private volatile long lastActivity = System.nanoTime();
    private volatile PeerConnection connection;
    private volatile boolean streamOpened;
    private volatile boolean succeeded;

    Completion(Executor executor) {
        this.executor = executor;
    }

    CompletableFuture<T> future() {
        return future;
    }

    boolean isSettled() {
        return settled.get();
    }

    /** Runs {@code cleanup} once the request is settled (at once if it already is). */
    void onSettled(Runnable cleanup) {
        cleanups.add(cleanup);
        if (settled.get() && cleanups.remove(cleanup)) {
            cleanup.run();
        }
    }

    /** Marks progress, which pushes an idle timeout back. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    long lastActivity() {
        return lastActivity;
    }

    /** The request got its connection; it may still wait for a stream there. */
    void connected(PeerConnection via) {
        connection = via;
    }

    boolean isConnected() {
        return connection != null;
    }

    /** The connection the request went to, or null while connecting. */
    PeerConnection connection() {
        return connection;
    }

    /** The request got its stream (the peer's stream credit allowed it). */
    void streamOpened() {
        streamOpened = true;
    }

    boolean isStreamOpened() {
        return streamOpened;
    }

    /** True once the request settled with a result (set before the cleanups run). */
    boolean succeeded() {
        return succeeded;
    }

    boolean succeed(T value) {
        if (!settle(true)) {
            return false;
        }
        dispatch(() -> future.complete(value));
        return true;
    }

    boolean fail(PeerRequestException failure) {
        if (!settle(false)) {
            return false;
        }
        dispatch(() -> future.completeExceptionally(failure));
        return true;
    }

    private boolean settle(boolean success) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        succeeded = success;
        for (Runnable cleanup : cleanups) {
            if (cleanups.remove(cleanup)) {
                cleanup.run();
            }
        }
        return true;
    }

    private void dispatch(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // the client is shutting down
        }
    }
}
