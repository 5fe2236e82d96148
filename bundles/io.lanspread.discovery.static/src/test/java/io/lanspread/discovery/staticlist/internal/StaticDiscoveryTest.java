package io.lanspread.discovery.staticlist.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

class StaticDiscoveryTest {

    private static final LocalPeer SELF = new LocalPeer("self", "me", 42420, "ff", 1, 1);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final List<StaticDiscovery> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(StaticDiscovery::deactivate);
    }

    @Test
    void reportsEveryValidAddressOffTheCallersThread() throws Exception {
        StaticDiscovery discovery = activate(config(60, "127.0.0.1:1000, localhost:1001", "nonsense", "[::1]:1002"));
        Recorder recorder = new Recorder();

        discovery.start(SELF, recorder);

        List<Report> reports = recorder.take(3);
        assertThat(reports).extracting(r -> r.peer().address())
                .containsExactly(new InetSocketAddress("127.0.0.1", 1000), new InetSocketAddress("localhost", 1001),
                        new InetSocketAddress("::1", 1002));
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.found()).isTrue();
            assertThat(r.peer().source()).isEqualTo("static");
            assertThat(r.peer().peerId()).isNull();
            assertThat(r.peer().libraryRevision()).isEqualTo(-1);
            assertThat(r.peer().address().isUnresolved()).isFalse();
            assertThat(r.thread()).isNotEqualTo(Thread.currentThread().getName());
        });
        assertThat(discovery.name()).isEqualTo("static");
    }

    @Test
    void reportsAgainPeriodically() throws Exception {
        StaticDiscovery discovery = activate(config(1, "127.0.0.1:1000"));
        Recorder recorder = new Recorder();

        discovery.start(SELF, recorder);

        assertThat(recorder.take(2)).extracting(Report::found).containsExactly(true, true);
    }

    @Test
    void modifiedConfigurationReportsRemovedEntriesAsLostAndTheNewListAsFound() throws Exception {
        StaticDiscovery discovery = activate(config(60, "127.0.0.1:1000", "127.0.0.1:1001"));
        Recorder recorder = new Recorder();
        discovery.start(SELF, recorder);
        recorder.take(2);

        discovery.modified(config(60, "127.0.0.1:1001,127.0.0.1:1002"));

        List<Report> reports = recorder.take(3);
        assertThat(reports.get(0)).isEqualTo(new Report(false, peer(1000), reports.get(0).thread()));
        assertThat(reports.subList(1, 3)).extracting(Report::found, r -> r.peer().address().getPort())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, 1001),
                        org.assertj.core.groups.Tuple.tuple(true, 1002));
    }

    @Test
    void closedSessionHearsNothingMoreWhileOthersGoOn() throws Exception {
        StaticDiscovery discovery = activate(config(60, "127.0.0.1:1000"));
        Recorder closedOne = new Recorder();
        DiscoverySession session = discovery.start(SELF, closedOne);
        closedOne.take(1);
        session.close();
        Recorder other = new Recorder();
        discovery.start(SELF, other);
        other.take(1);

        discovery.modified(config(60, "127.0.0.1:2000"));

        other.takeUntil(r -> r.found() && r.peer().address().getPort() == 2000);
        assertThat(closedOne.queue).isEmpty();
    }

    @Test
    void aThrowingListenerStillGetsTheNextAddress() throws Exception {
        StaticDiscovery discovery = activate(config(60, "127.0.0.1:1000", "127.0.0.1:1001"));
        Recorder recorder = new Recorder() {
            @Override
            public void found(DiscoveredPeer peer) {
                super.found(peer);
                throw new IllegalStateException("listener bug");
            }
        };

        discovery.start(SELF, recorder);

        assertThat(recorder.take(2)).extracting(r -> r.peer().address().getPort()).containsExactly(1000, 1001);
    }

    @Test
    void unresolvableHostIsSkippedAndTheRestReported() throws Exception {
        // a resolver that knows no such host: the test never asks a real DNS server
        HostResolver resolver = host -> {
            if (host.equals("no-such-host.invalid")) {
                throw new java.net.UnknownHostException(host);
            }
            return java.net.InetAddress.getByName(host);
        };
        StaticDiscovery discovery = new StaticDiscovery(config(60, "no-such-host.invalid:1000", "127.0.0.1:1001"), resolver);
        started.add(discovery);
        Recorder recorder = new Recorder();

        discovery.start(SELF, recorder);

        assertThat(recorder.take(1)).extracting(r -> r.peer().address().getPort()).containsExactly(1001);
    }

    @Test
    void startAfterDeactivateFails() {
        StaticDiscovery discovery = new StaticDiscovery(config(60, "127.0.0.1:1000"));
        discovery.deactivate();

        assertThatThrownBy(() -> discovery.start(SELF, new Recorder())).isInstanceOf(IllegalStateException.class);
    }

    private StaticDiscovery activate(StaticDiscovery.Config config) {
        StaticDiscovery discovery = new StaticDiscovery(config);
        started.add(discovery);
        return discovery;
    }

    private static InetSocketAddress peer(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    static StaticDiscovery.Config config(long interval, String... peers) {
        return new StaticDiscovery.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StaticDiscovery.Config.class;
            }

            @Override
            public String[] peers() {
                return peers;
            }

            @Override
            public long refresh_interval_seconds() {
                return interval;
            }
        };
    }

    record Report(boolean found, DiscoveredPeer peer, String thread) {
        Report(boolean found, InetSocketAddress address, String thread) {
            this(found, new DiscoveredPeer("static", address, null, -1), thread);
        }
    }

    static class Recorder implements DiscoveryListener {
        final BlockingQueue<Report> queue = new LinkedBlockingQueue<>();

        @Override
        public void found(DiscoveredPeer peer) {
            queue.add(new Report(true, peer, Thread.currentThread().getName()));
        }

        @Override
        public void lost(DiscoveredPeer peer) {
            queue.add(new Report(false, peer, Thread.currentThread().getName()));
        }

        List<Report> take(int count) throws InterruptedException {
            List<Report> reports = new ArrayList<>();
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (reports.size() < count) {
                Report r = queue.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(r).as("report %d of %d before the deadline", reports.size() + 1, count).isNotNull();
                reports.add(r);
            }
            return reports;
        }

        Report takeUntil(Predicate<Report> wanted) throws InterruptedException {
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                Report r = queue.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(r).as("wanted report before the deadline").isNotNull();
                if (wanted.test(r)) {
                    return r;
                }
            }
        }
    }
}
