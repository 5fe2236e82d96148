package io.lanspread.itests.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline, instead of sleeping and hoping. */
public final class Conditions {

    private static final long POLL_MILLIS = 50;

    private Conditions() {
    }

    /** Polls until {@code condition} holds; fails with {@code what} and the last {@code state} seen. */
    public static void await(String what, int seconds, BooleanSupplier condition, Supplier<?> state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; last state: "
                        + state.get());
            }
            pause();
        }
    }

    /** Polls {@code probe} until it returns a non-null value, which it returns. */
    public static <T> T awaitValue(String what, int seconds, Callable<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.call();
                if (value != null) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            pause();
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what, last);
    }

    private static void pause() {
        try {
            // a poll interval, not a wait for state: the condition is re-checked every round
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
