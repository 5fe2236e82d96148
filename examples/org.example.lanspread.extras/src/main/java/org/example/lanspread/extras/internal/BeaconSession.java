package org.example.lanspread.extras.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

/**
 * One running beacon: a UDP socket on the configured port that announces this peer every interval to the
 * broadcast targets, and hears the others' beacons on a receive thread of the backend's. A peer heard is
 * reported found when it is new, moved, changed its library, or was last reported an interval ago; one not heard
 * for {@code lost.after.seconds} is reported lost. At most {@value #MAX_PEERS} peers are tracked, so a flood of
 * invented peer ids cannot grow memory. Thread-safe: the socket is replaced under the session's lock, the peer
 * table is concurrent.
 */
final class BeaconSession implements DiscoverySession {

    static final int MAX_PEERS = 256;
    private static final System.Logger LOG = System.getLogger(BeaconSession.class.getName());

    /** What is known of one peer heard. */
    private record Heard(InetSocketAddress address, long revision, long heardNanos, long reportedNanos) {
    }

    private final DiscoveryListener listener;
    private final ScheduledExecutorService timer;
    private final Executor receivers;
    private final Supplier<List<InetAddress>> hostTargets;
    private final LongSupplier nanoClock;
    private final Consumer<BeaconSession> onClose;
    private final Map<String, Heard> heard = new ConcurrentHashMap<>();
    private final Set<InetAddress> unreachable = ConcurrentHashMap.newKeySet();
    private volatile LocalPeer self;
    private volatile BeaconSettings settings;
    private volatile boolean warnedFull;
    private DatagramSocket socket;
    private ScheduledFuture<?> ticking;
    private boolean closed;

    BeaconSession(LocalPeer self, DiscoveryListener listener, BeaconSettings settings, ScheduledExecutorService timer,
            Executor receivers, Supplier<List<InetAddress>> hostTargets, LongSupplier nanoClock,
            Consumer<BeaconSession> onClose) {
        this.self = self;
        this.listener = listener;
        this.settings = settings;
        this.timer = timer;
        this.receivers = receivers;
        this.hostTargets = hostTargets;
        this.nanoClock = nanoClock;
        this.onClose = onClose;
    }

    /** Opens the socket and starts hearing and announcing; throws when the port cannot be bound. */
    synchronized void start() throws SocketException {
        if (closed) {
            return;
        }
        BeaconSettings s = settings;
        DatagramSocket opened = new DatagramSocket(null);
        try {
            opened.setReuseAddress(true); // several peers on one host may share the beacon port
            opened.setBroadcast(true);
            opened.bind(new InetSocketAddress(s.port()));
            DatagramSocket listening = opened;
            receivers.execute(() -> receive(listening));
        } catch (SocketException | RejectedExecutionException e) {
            opened.close();
            throw e instanceof SocketException se ? se
                    : new SocketException("the beacon backend is stopped");
        }
        socket = opened;
        ticking = timer.scheduleWithFixedDelay(this::tick, 0, s.intervalMillis(), TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, () -> String.format("beacon: announcing on UDP port %d to %s every %d ms", s.port(),
                s.targets().isEmpty() ? "the broadcast address of every network" : s.targets(), s.intervalMillis()));
    }

    /** New settings: the socket is opened again (the port may have changed) and the announcements rescheduled. */
    synchronized void reconfigure(BeaconSettings newSettings) throws SocketException {
        if (closed) {
            return;
        }
        stopSocket();
        settings = newSettings;
        start();
    }

    @Override
    public void update(LocalPeer peer) {
        self = peer;
        try {
            timer.execute(this::announce); // a new library revision is worth telling at once
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopSocket();
        }
        onClose.accept(this);
        LOG.log(Level.INFO, "beacon: stopped");
    }

    private void stopSocket() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
        if (socket != null) {
            socket.close(); // ends its receive loop
            socket = null;
        }
    }

    private void receive(DatagramSocket on) {
        byte[] buffer = new byte[Beacon.MAX_BYTES + 1]; // one more: an oversized datagram shows as too long
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!on.isClosed()) {
            try {
                packet.setLength(buffer.length);
                on.receive(packet);
                heard(packet.getAddress(), buffer, packet.getLength());
            } catch (IOException e) {
                if (!on.isClosed()) {
                    LOG.log(Level.DEBUG, "beacon: receive failed", e);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "beacon: a datagram could not be handled", e); // keep hearing the others
            }
        }
    }

    /** One datagram from {@code from}. */
    void heard(InetAddress from, byte[] data, int length) {
        Optional<Beacon> parsed = Beacon.parse(data, length);
        if (parsed.isEmpty() || from == null) {
            LOG.log(Level.DEBUG, () -> "beacon: ignored " + length + " bytes from " + from + " (not a beacon)");
            return;
        }
        Beacon beacon = parsed.get();
        LocalPeer me = self;
        if (beacon.peerId().equals(me.peerId())) {
            return; // our own, looped back by the broadcast
        }
        if (beacon.protocolVersion() > me.protocolVersion()) {
            return; // speaks only newer versions than ours
        }
        long now = nanoClock.getAsLong();
        InetSocketAddress address = new InetSocketAddress(from, beacon.quicPort());
        Heard before = heard.get(beacon.peerId());
        if (before == null && heard.size() >= MAX_PEERS) {
            if (!warnedFull) {
                warnedFull = true;
                LOG.log(Level.WARNING, "beacon: " + MAX_PEERS + " peers tracked; ignoring new ones until some leave");
            }
            return;
        }
        boolean report = before == null || !before.address().equals(address)
                || before.revision() != beacon.libraryRevision()
                || now - before.reportedNanos() >= TimeUnit.MILLISECONDS.toNanos(settings.intervalMillis());
        heard.put(beacon.peerId(), new Heard(address, beacon.libraryRevision(), now,
                report ? now : before.reportedNanos()));
        if (before == null) {
            LOG.log(Level.INFO, () -> "beacon: found peer " + beacon.peerId() + " at " + address);
        } else if (!before.address().equals(address)) {
            tell(false, new DiscoveredPeer(BeaconDiscovery.NAME, before.address(), beacon.peerId(), before.revision()));
        }
        if (report) {
            tell(true, new DiscoveredPeer(BeaconDiscovery.NAME, address, beacon.peerId(), beacon.libraryRevision()));
        }
    }

    /** Announces and reports the silent as lost; on the timer. */
    void tick() {
        announce();
        expire();
    }

    void expire() {
        long now = nanoClock.getAsLong();
        long limit = TimeUnit.MILLISECONDS.toNanos(settings.lostAfterMillis());
        heard.forEach((peerId, h) -> {
            if (now - h.heardNanos() > limit && heard.remove(peerId, h)) {
                LOG.log(Level.INFO, () -> "beacon: peer " + peerId + " at " + h.address() + " not heard for "
                        + settings.lostAfterMillis() / 1000 + " s");
                tell(false, new DiscoveredPeer(BeaconDiscovery.NAME, h.address(), peerId, h.revision()));
            }
        });
        if (heard.size() < MAX_PEERS) {
            warnedFull = false;
        }
    }

    private void announce() {
        DatagramSocket s;
        BeaconSettings current;
        synchronized (this) {
            s = socket;
            current = settings;
        }
        if (s == null) {
            return;
        }
        LocalPeer me = self;
        byte[] bytes = new Beacon(me.peerId(), me.quicPort(), me.libraryRevision(), me.protocolVersion()).encode();
        List<InetAddress> targets = current.targets().isEmpty() ? hostTargets.get() : current.targets();
        for (InetAddress target : targets) {
            try {
                s.send(new DatagramPacket(bytes, bytes.length, target, current.port()));
                if (unreachable.remove(target)) {
                    LOG.log(Level.INFO, "beacon: " + target.getHostAddress() + " reachable again");
                }
            } catch (IOException e) {
                if (s.isClosed()) {
                    return;
                }
                if (unreachable.add(target)) { // once per target, not every interval
                    LOG.log(Level.WARNING, "beacon: cannot send to " + target.getHostAddress() + ": " + e.getMessage());
                }
            }
        }
    }

    private void tell(boolean found, DiscoveredPeer peer) {
        try {
            if (found) {
                listener.found(peer);
            } else {
                listener.lost(peer);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "beacon: the discovery listener failed on " + peer, e);
        }
    }

    /** The peers heard and not lost, for tests. */
    Set<String> heardPeerIds() {
        return Set.copyOf(heard.keySet());
    }

    /** The local port the socket is bound to, or -1. */
    synchronized int boundPort() {
        return socket == null ? -1 : socket.getLocalPort();
    }
}
