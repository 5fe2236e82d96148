package io.lanspread.itests.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Timed polling for latency assertions: how long after a start instant a condition first held, failing
 * when it did not hold by a limit; and checking that a condition never held during a window. Probes may
 * throw (a peer not answering yet); that counts as "not yet" and is reported if the limit passes.
 */
public final class Deadlines {

    private static final long POLL_MILLIS = 20;

    private Deadlines() {
    }

    /** A probe that may throw. */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    /**
     * Polls {@code condition} until it holds and returns the milliseconds from {@code startNanos} (a
     * System.nanoTime()) to the first poll that saw it; fails if that did not happen by startNanos +
     * {@code limit}, with the last {@code state} seen.
     */
    public static long within(String what, long startNanos, Duration limit, Check condition, Callable<?> state) {
        long deadline = startNanos + limit.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    long elapsed = System.nanoTime() - startNanos;
                    if (elapsed > limit.toNanos()) {
                        throw new AssertionError(what + " took " + TimeUnit.NANOSECONDS.toMillis(elapsed)
                                + " ms, more than " + limit.toMillis() + " ms");
                    }
                    return TimeUnit.NANOSECONDS.toMillis(elapsed);
                }
                last = null;
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError(what + " did not happen within " + limit.toMillis()
                        + " ms; last state: " + describe(state));
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            pause();
        }
    }

    /** A probe of one item that may throw. */
    @FunctionalInterface
    public interface CheckOf<T> {
        boolean holds(T item) throws Exception;
    }

    /**
     * Polls {@code condition} for every item, all in each round, until it held for each; returns, per item
     * name, the milliseconds from {@code startNanos} to the first poll that saw it hold. Fails if some
     * item did not get there by startNanos + {@code limit}.
     */
    public static <T> Map<String, Long> whenEach(String what, List<T> items, Function<T, String> name,
            long startNanos, Duration limit, CheckOf<T> condition) {
        Map<String, Long> done = new LinkedHashMap<>();
        Map<String, Exception> errors = new LinkedHashMap<>();
        long deadline = startNanos + limit.toNanos();
        while (true) {
            for (T item : items) {
                String key = name.apply(item);
                if (done.containsKey(key)) {
                    continue;
                }
                try {
                    if (condition.holds(item)) {
                        done.put(key, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                    }
                    errors.remove(key);
                } catch (Exception e) {
                    errors.put(key, e);
                }
            }
            if (done.size() == items.size()) {
                Map<String, Long> ordered = new LinkedHashMap<>();
                items.forEach(i -> ordered.put(name.apply(i), done.get(name.apply(i))));
                return ordered;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + limit.toMillis() + " ms for every one; "
                        + "done (ms): " + done + ", errors: " + errors);
            }
            pause();
        }
    }

    /**
     * Polls {@code bad} until {@code window} has passed since {@code startNanos}; fails as soon as it
     * holds. A probe that throws fails too: "never" must be observed, not assumed.
     */
    public static void never(String what, long startNanos, Duration window, Check bad, Callable<?> state) {
        long end = startNanos + window.toNanos();
        int polls = 0;
        do {
            try {
                if (bad.holds()) {
                    throw new AssertionError(what + " happened "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms into a "
                            + window.toMillis() + " ms window; state: " + describe(state));
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError("could not check that " + what + " never happens", e);
            }
            polls++;
            pause();
        } while (System.nanoTime() < end || polls < 2);
    }

    /**
     * Polls {@code bad} for as long as {@code running} holds and then for {@code after} more; fails as
     * soon as it holds, or when {@code running} still holds at {@code limit} since the call. A probe that
     * throws fails too.
     */
    public static void neverWhile(String what, java.util.function.BooleanSupplier running, Duration after,
            Duration limit, Check bad, Callable<?> state) {
        long start = System.nanoTime();
        long end = Long.MAX_VALUE;
        do {
            try {
                if (bad.holds()) {
                    throw new AssertionError(what + " happened "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms into the window; state: "
                            + describe(state));
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError("could not check that " + what + " never happens", e);
            }
            if (end == Long.MAX_VALUE && !running.getAsBoolean()) {
                end = System.nanoTime() + after.toNanos();
            }
            if (end == Long.MAX_VALUE && System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("still running after " + limit.toMillis() + " ms while checking that " + what
                        + " never happens; state: " + describe(state));
            }
            pause();
        } while (System.nanoTime() < end);
    }

    private static String describe(Callable<?> state) {
        try {
            return String.valueOf(state.call());
        } catch (Exception e) {
            return "(unavailable: " + e + ")";
        }
    }

    static void pause() {
        pause(POLL_MILLIS);
    }

    /** Waits {@code millis} between two polls of a deadline loop (never to wait for state itself). */
    public static void pause(long millis) {
        try {
            // a poll interval inside a deadline loop, not a wait for state
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
