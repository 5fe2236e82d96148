package org.example.lanspread.extras.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.LocalPeer;

/**
 * Beacon sessions on this machine's loopback: real UDP sockets, sent to 127.0.0.1 (nothing leaves the host).
 * Broadcast across hosts is checked in the LAN lab (itests: ExtensionBundleLabIT).
 */
class BeaconSessionTest {

    private static final String ME = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String OTHER = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService receivers = Executors.newCachedThreadPool();
    private final Recorder listener = new Recorder();
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);

    @AfterEach
    void stop() throws Exception {
        timer.shutdownNow();
        receivers.shutdownNow();
        assertThat(receivers.awaitTermination(5, TimeUnit.SECONDS)).as("receive threads ended").isTrue();
    }

    private BeaconSession session(String peerId, int port, int quicPort) {
        BeaconSettings settings = new BeaconSettings(port, 200, List.of(InetAddress.getLoopbackAddress()), 1000);
        return new BeaconSession(new LocalPeer(peerId, "n", quicPort, "fp", 1, 2), listener, settings, timer,
                receivers, List::of, clock::get, s -> { });
    }

    @Test
    void aBeaconSentIsHeardAndOwnBeaconsAreIgnored() throws Exception {
        int port = freeUdpPort();
        BeaconSession session = session(ME, port, 42420);
        session.start();
        try (DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] beacon = new Beacon(OTHER, 40000, 9, 2).encode();
            other.send(new DatagramPacket(beacon, beacon.length, InetAddress.getLoopbackAddress(), port));
            await("the other peer reported found", () -> !listener.found.isEmpty());
        }
        DiscoveredPeer found = listener.found.get(0);
        assertThat(found).isEqualTo(new DiscoveredPeer("beacon", new InetSocketAddress("127.0.0.1", 40000), OTHER, 9));
        // the session hears its own announcements (sent to loopback) and never reports itself
        assertThat(session.heardPeerIds()).containsExactly(OTHER);
        assertThat(listener.found).allMatch(p -> p.peerId().equals(OTHER));
        session.close();
    }

    @Test
    void garbageIsIgnoredAndTheSessionKeepsHearing() throws Exception {
        int port = freeUdpPort();
        BeaconSession session = session(ME, port, 42420);
        session.start();
        try (DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetAddress lo = InetAddress.getLoopbackAddress();
            for (byte[] junk : List.of(new byte[2000], "LSBEACON 1\npeer=x\n".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {(byte) 0xff, 0, 1}, ("LSBEACON 1\npeer=" + OTHER + "\nport=99999\nproto=2\n")
                            .getBytes(StandardCharsets.US_ASCII))) {
                other.send(new DatagramPacket(junk, junk.length, lo, port));
            }
            byte[] beacon = new Beacon(OTHER, 40001, 1, 2).encode();
            other.send(new DatagramPacket(beacon, beacon.length, lo, port));
            await("the valid beacon after the junk", () -> !listener.found.isEmpty());
        }
        assertThat(listener.found).extracting(DiscoveredPeer::address)
                .containsOnly(new InetSocketAddress("127.0.0.1", 40001));
        session.close();
    }

    @Test
    void aPeerIsReportedAgainOnlyAfterAnIntervalOrWhenItChangedAndLostWhenSilent() throws Exception {
        BeaconSession session = session(ME, freeUdpPort(), 42420);
        InetAddress from = InetAddress.getByName("192.0.2.20");
        byte[] beacon = new Beacon(OTHER, 42420, 1, 2).encode();
        session.heard(from, beacon, beacon.length);
        session.heard(from, beacon, beacon.length);
        assertThat(listener.found).hasSize(1);
        byte[] changed = new Beacon(OTHER, 42420, 2, 2).encode();
        session.heard(from, changed, changed.length);
        assertThat(listener.found).as("a new library revision is news").hasSize(2);
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
        session.heard(from, changed, changed.length);
        assertThat(listener.found).as("an interval later it is reported again").hasSize(3);

        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(900));
        session.expire();
        assertThat(listener.lost).isEmpty();
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        session.expire();
        assertThat(listener.lost).containsExactly(new DiscoveredPeer("beacon", new InetSocketAddress(from, 42420),
                OTHER, 2));
        assertThat(session.heardPeerIds()).isEmpty();
    }

    @Test
    void aNewerProtocolAndAFloodOfInventedPeersAreBounded() throws Exception {
        BeaconSession session = session(ME, freeUdpPort(), 42420);
        InetAddress from = InetAddress.getByName("192.0.2.20");
        byte[] newer = new Beacon(OTHER, 42420, 1, 3).encode();
        session.heard(from, newer, newer.length);
        assertThat(listener.found).as("speaks only a newer protocol than ours").isEmpty();
        for (int i = 0; i < 1000; i++) {
            byte[] b = new Beacon(String.format("%040x", i), 42420, 1, 2).encode();
            session.heard(from, b, b.length);
        }
        assertThat(session.heardPeerIds()).hasSize(BeaconSession.MAX_PEERS);
        assertThat(listener.found).hasSize(BeaconSession.MAX_PEERS);
    }

    @Test
    void closingFreesThePortAndAReconfiguredSessionMovesToTheNewOne() throws Exception {
        int first = freeUdpPort();
        BeaconSession session = session(ME, first, 42420);
        session.start();
        assertThat(session.boundPort()).isEqualTo(first);
        int second = freeUdpPort();
        session.reconfigure(new BeaconSettings(second, 200, List.of(InetAddress.getLoopbackAddress()), 1000));
        assertThat(session.boundPort()).isEqualTo(second);
        await("the first port free again", () -> canBind(first));
        session.close();
        assertThat(session.boundPort()).isEqualTo(-1);
        await("the second port free again", () -> canBind(second));
    }

    /**
     * Whether the port can be bound now. Not at once after a close: the JDK releases a socket that a thread is
     * blocked receiving on only when that thread has been woken and has left the receive call.
     */
    private static boolean canBind(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(port))) {
            return probe.getLocalPort() == port;
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    @Test
    void twoSessionsOnOnePortFindEachOtherThroughTheLoopbackBroadcast() throws Exception {
        int port = freeUdpPort();
        InetAddress broadcast = InetAddress.getByName("127.255.255.255");
        Recorder heardByB = new Recorder();
        BeaconSettings settings = new BeaconSettings(port, 200, List.of(broadcast), 1000);
        BeaconSession a = new BeaconSession(new LocalPeer(ME, "a", 40010, "fp", 1, 2), listener, settings, timer,
                receivers, List::of, System::nanoTime, s -> { });
        BeaconSession b = new BeaconSession(new LocalPeer(OTHER, "b", 40011, "fp", 1, 2), heardByB, settings, timer,
                receivers, List::of, System::nanoTime, s -> { });
        a.start();
        b.start();
        // the reports, not the peer tables: a peer is in the table a moment before it is reported
        await("a hears b and b hears a", () -> !listener.found.isEmpty() && !heardByB.found.isEmpty());
        assertThat(a.heardPeerIds()).containsExactly(OTHER);
        assertThat(b.heardPeerIds()).containsExactly(ME);
        assertThat(listener.found.get(0).address().getPort()).isEqualTo(40011);
        assertThat(heardByB.found.get(0).address().getPort()).isEqualTo(40010);
        a.close();
        b.close();
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10); // a poll interval, not a wait for state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    private static final class Recorder implements DiscoveryListener {
        final List<DiscoveredPeer> found = new CopyOnWriteArrayList<>();
        final List<DiscoveredPeer> lost = new CopyOnWriteArrayList<>();

        @Override
        public void found(DiscoveredPeer peer) {
            found.add(peer);
        }

        @Override
        public void lost(DiscoveredPeer peer) {
            lost.add(peer);
        }
    }
}
