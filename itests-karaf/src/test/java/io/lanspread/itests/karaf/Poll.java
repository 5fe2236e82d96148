package io.lanspread.itests.karaf;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline; a probe that throws counts as "not yet". */
final class Poll {

    private static final long INTERVAL_MILLIS = 100;

    private Poll() {
    }

    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    @FunctionalInterface
    interface Check<T> {
        boolean holds(T value) throws Exception;
    }

    /**
     * Reads {@code probe} until {@code check} holds for what it read and returns that value; fails after
     * {@code limit} with the last value or error, and what {@code context} says then (a log tail).
     */
    static <T> T until(String what, Duration limit, Probe<T> probe, Check<T> check, Callable<String> context) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        Exception error = null;
        while (true) {
            try {
                last = probe.get();
                error = null;
                if (check.holds(last)) {
                    return last;
                }
            } catch (Exception e) {
                error = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError(what + " did not happen within " + limit.toSeconds()
                        + " s; last seen: " + last + (error == null ? "" : "; last error: " + error)
                        + "\n" + describe(context));
                if (error != null) {
                    failure.initCause(error);
                }
                throw failure;
            }
            pause();
        }
    }

    static <T> T until(String what, Duration limit, Probe<T> probe, Check<T> check) {
        return until(what, limit, probe, check, () -> "");
    }

    private static String describe(Callable<String> context) {
        try {
            return context.call();
        } catch (Exception e) {
            return "(context unavailable: " + e + ")";
        }
    }

    private static void pause() {
        try {
            // the interval between two polls of a deadline loop, not a wait for state
            Thread.sleep(INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
