package io.lanspread.events.internal;

import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, re-checked every few milliseconds. */
final class Poll {

    private Poll() {
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Recorder.DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + Recorder.DEADLINE + " waiting for " + what);
            }
            try {
                Thread.sleep(5); // a poll interval, not a wait for state: the condition is checked every round
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** No thread of the hub is alive. */
    static boolean hubThreadsEnded() {
        return Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("lanspread-events-"));
    }
}
