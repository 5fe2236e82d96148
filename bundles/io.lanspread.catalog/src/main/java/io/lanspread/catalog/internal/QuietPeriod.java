package io.lanspread.catalog.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Debounce bookkeeping for watch events, keyed by game id: a key is due once nothing touched it for the
 * quiet period, or once it has been waiting for the maximum deferral (so a folder that never settles is
 * still looked at now and then). Pure bookkeeping on caller-supplied nanos; thread-safe.
 */
final class QuietPeriod {

    /** The key that stands for the whole game directory (no folder has an empty name). */
    static final String ALL = "";

    /**
     * @param keys       the keys that settled, removed from the pending set
     * @param nextNanos  delay until the next key is due, or -1 when nothing is pending any more
     */
    record Due(Set<String> keys, long nextNanos) {
    }

    private record Pending(long firstNanos, long lastNanos) {
    }

    private final Map<String, Pending> pending = new HashMap<>();
    private long quietNanos;
    private long maxDeferNanos;
    private boolean flushScheduled;

    QuietPeriod(Duration quiet, Duration maxDefer) {
        setTimes(quiet, maxDefer);
    }

    synchronized void setTimes(Duration quiet, Duration maxDefer) {
        quietNanos = Math.max(0, quiet.toNanos());
        maxDeferNanos = Math.max(quietNanos, maxDefer.toNanos());
    }

    synchronized long quietNanos() {
        return quietNanos;
    }

    /**
     * Records a change of {@code key}.
     *
     * @return true when the caller must schedule a {@link #takeDue} after {@link #quietNanos()}; false
     *         when one is already scheduled
     */
    synchronized boolean touch(String key, long nowNanos) {
        pending.merge(key, new Pending(nowNanos, nowNanos), (old, fresh) -> new Pending(old.firstNanos(), nowNanos));
        if (flushScheduled) {
            return false;
        }
        flushScheduled = true;
        return true;
    }

    /** Removes and returns the settled keys; when others remain, the caller schedules again after {@code nextNanos}. */
    synchronized Due takeDue(long nowNanos) {
        Set<String> due = new TreeSet<>();
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Pending> entry = it.next();
            long dueAt = Math.min(entry.getValue().lastNanos() + quietNanos, entry.getValue().firstNanos() + maxDeferNanos);
            if (dueAt - nowNanos <= 0) {
                due.add(entry.getKey());
                it.remove();
            } else {
                next = Math.min(next, dueAt - nowNanos);
            }
        }
        if (pending.isEmpty()) {
            flushScheduled = false;
            return new Due(due, -1);
        }
        return new Due(due, next);
    }
}
