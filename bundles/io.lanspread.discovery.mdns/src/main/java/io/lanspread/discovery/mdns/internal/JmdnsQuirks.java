package io.lanspread.discovery.mdns.internal;

import java.time.Duration;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around two JmDNS 3.6.1 gaps that its API does not expose. The implementation classes (package
 * {@code javax.jmdns.impl}, not exported by the JmDNS bundle) have public methods for them, called here
 * reflectively; when that fails, a conservative fallback applies.
 */
final class JmdnsQuirks {

    /** Probing plus two announcements took about 5 s in tests. */
    static final Duration FALLBACK_SETTLE = Duration.ofSeconds(8);

    private static final Logger LOG = LoggerFactory.getLogger(JmdnsQuirks.class);

    private JmdnsQuirks() {
    }

    /** Whether JmDNS has finished probing and announcing a registered service. */
    static boolean isAnnounced(ServiceInfo info, long changedAtNanos) {
        try {
            return (Boolean) info.getClass().getMethod("isAnnounced").invoke(info);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Cannot ask JmDNS whether {} is announced; going by time", info.getName(), e);
            return System.nanoTime() - changedAtNanos >= FALLBACK_SETTLE.toNanos();
        }
    }

    /**
     * Puts an instance whose I/O-error recovery failed back into a state where {@code close()} works:
     * such an instance ignores {@code close()} and keeps its timer threads and executor forever.
     */
    static void resetState(JmDNS jmdns) {
        try {
            jmdns.getClass().getMethod("recoverState").invoke(jmdns);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Cannot reset JmDNS {}", jmdns.getName(), e);
        }
    }

    /** Whether any thread of the instance named {@code name} still runs (JmDNS names them after it). */
    static boolean threadsAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().contains(name));
    }

    /** Whether the instance is recovering from an I/O error (it then ignores {@code close()}). */
    static boolean recovering(String name) {
        String recoverThread = name + ".recover()";
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals(recoverThread));
    }
}
