package io.lanspread.peer.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Requests to peers as futures that always settle: a client that throws instead of failing its stage included. */
final class PeerRequests {

    private PeerRequests() {
    }

    /** The request's stage, or a failed one when starting it threw. */
    static <T> CompletableFuture<T> start(Supplier<? extends CompletionStage<T>> request) {
        try {
            return request.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The request's outcome, failed with a timeout when none came within {@code timeout}; a copy, so that the
     * timeout never completes the client's own stage.
     */
    static <T> CompletableFuture<T> bounded(Supplier<? extends CompletionStage<T>> request, Duration timeout) {
        return start(request).copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What went wrong, for a log line: the cause of a completion wrapper, "no answer" for none. */
    static String message(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause == null ? "no answer" : cause.toString();
    }
}
