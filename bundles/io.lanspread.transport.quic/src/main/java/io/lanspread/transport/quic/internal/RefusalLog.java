package io.lanspread.transport.quic.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * Logs refused work at most once per remote address per interval (10 s), counting what it left out,
 * so that a flood from one address costs one line every few seconds, not one per packet. Thread-safe.
 */
final class RefusalLog {

    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Addresses remembered at most; beyond it, entries older than the interval are forgotten. */
    private static final int MAX_ADDRESSES = 4096;

    private static final class Entry {
        long loggedAt;
        int suppressed;
    }

    private final Logger log;
    private final long intervalNanos;
    private final Map<InetAddress, Entry> entries = new HashMap<>();

    RefusalLog(Logger log) {
        this(log, INTERVAL_NANOS);
    }

    /** @param intervalNanos the least time between two lines about one address */
    RefusalLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs {@code sentence} (which names the address) unless a line for {@code address} went out recently. */
    void refused(InetAddress address, String sentence) {
        int suppressed;
        synchronized (this) {
            long now = System.nanoTime();
            Entry entry = entries.get(address);
            if (entry != null && now - entry.loggedAt < intervalNanos) {
                entry.suppressed++;
                return;
            }
            if (entry == null) {
                if (entries.size() >= MAX_ADDRESSES) {
                    forgetOld(now);
                    if (entries.size() >= MAX_ADDRESSES) {
                        return; // thousands of addresses refused within seconds: their lines already went out
                    }
                }
                entry = new Entry();
                entries.put(address, entry);
            }
            suppressed = entry.suppressed;
            entry.loggedAt = now;
            entry.suppressed = 0;
        }
        if (suppressed > 0) {
            log.warn("refused {}: {} ({} more refused since the last line)", address.getHostAddress(), sentence,
                    suppressed);
        } else {
            log.warn("refused {}: {}", address.getHostAddress(), sentence);
        }
    }

    private void forgetOld(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
            if (now - it.next().loggedAt >= intervalNanos) {
                it.remove();
            }
        }
    }
}
