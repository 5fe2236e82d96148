package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.LocalPeer;

/** Session lifecycle without any network: the interface source is faked. */
class MdnsSessionTest {

    private static final LocalPeer SELF = new LocalPeer("me", "me", 42420, "ff", 1, 1);
    private static final MdnsSettings FAST = new MdnsSettings(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Test
    void keepsCheckingInterfacesThroughFailuresAndStopsEveryThreadOnClose() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        AtomicReference<MdnsSession> removed = new AtomicReference<>();
        MdnsSession session = new MdnsSession(SELF, new NoListener(), () -> FAST, () -> {
            if (checks.incrementAndGet() == 1) {
                throw new IOException("netlink hiccup");
            }
            return List.of();
        }, removed::set);

        session.start();
        session.update(new LocalPeer("me", "me", 42420, "ff", 2, 1));
        awaitTrue(() -> checks.get() >= 2, Duration.ofSeconds(5));
        long start = System.nanoTime();
        session.close();
        session.close(); // idempotent

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MdnsSession.CLOSE_WAIT);
        assertThat(removed.get()).isSameAs(session);
        awaitTrue(() -> sessionThreads() == 0, Duration.ofSeconds(2));
    }

    @Test
    void closeBeforeTheFirstCheckIsQuiet() {
        MdnsSession session = new MdnsSession(SELF, new NoListener(), () -> FAST, List::of, s -> { });

        session.start();
        session.close();

        awaitTrue(() -> sessionThreads() == 0, Duration.ofSeconds(2));
    }

    private static long sessionThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(MdnsSession.THREAD_PREFIX) && t.isAlive()).count();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
            try {
                Thread.sleep(20); // polling interval, not a wait for state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static final class NoListener implements DiscoveryListener {
        @Override
        public void found(DiscoveredPeer peer) {
        }

        @Override
        public void lost(DiscoveredPeer peer) {
        }
    }
}
