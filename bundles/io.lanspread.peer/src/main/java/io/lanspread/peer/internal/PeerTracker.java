package io.lanspread.peer.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.peer.LocalIdentity;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerNoticeListener;
import io.lanspread.api.transport.PeerServer;

/**
 * Turns discovery reports and peers' notices into known peers and keeps them alive: introduce ourselves
 * to an address (hello), learn the peer id from the answer, record the peer by id; say hello to every known
 * peer periodically and drop it when it stays silent too long or says goodbye. Its game list is kept by a
 * {@link PeerGameFetcher}, a peer's move to another port by {@link PeerMoves}.
 *
 * <p>All bookkeeping runs on one thread (the executor given), so it needs no locks; callbacks from the
 * discovery backends, the server's notices and the peer client only hand work over to it.
 */
final class PeerTracker implements DiscoveryListener, PeerNoticeListener {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTracker.class);
    private static final String NOTICE = "notice";
    /** The oldest wire protocol version lanspread still speaks. */
    static final int OLDEST_PROTOCOL = 1;

    private final LocalIdentity identity;
    private final PeerServer server;
    private final PeerClient client;
    private final PeerDirectory directory;
    private final LongSupplier libraryRevision;
    private final Consumer<LanspreadEvent> events;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private volatile Duration pingInterval;
    private volatile Duration timeout;

    private final Set<InetSocketAddress> greeting = new HashSet<>();
    private final Set<InetSocketAddress> selfAddresses = new HashSet<>();
    private final PeerGameFetcher games;
    private final PeerMoves moves = new PeerMoves();
    /** Peers whose stored address failed its last ping. */
    private final Set<String> failing = new HashSet<>();
    /** The last hello sent to each address, to throttle repeated discovery reports. */
    private final Map<InetSocketAddress, Probe> probes = new HashMap<>();
    /**
     * When each known peer last introduced itself at the address we know it by, as its own liveness round
     * does: our round then says nothing to it, since one hello per pair and interval is evidence for both.
     */
    private final Map<String, Instant> introducedAt = new HashMap<>();
    /** Peers that said goodbye, and when: stale discovery reports must not bring them back. */
    private final Map<String, Instant> departed = new HashMap<>();

    /** A hello sent because of a report, what the report claimed, and who answered (null: nobody yet). */
    private record Probe(Instant at, String reportedId, long reportedRevision, String answeredBy) {
        Probe answered(String peerId) {
            return new Probe(at, reportedId, reportedRevision, peerId);
        }
    }

    PeerTracker(LocalIdentity identity, PeerServer server, PeerClient client, PeerDirectory directory,
            LongSupplier libraryRevision, Consumer<LanspreadEvent> events, ScheduledExecutorService scheduler,
            Duration pingInterval, Duration timeout) {
        this.identity = identity;
        this.server = server;
        this.client = client;
        this.directory = directory;
        this.libraryRevision = libraryRevision;
        this.events = events;
        this.pingInterval = pingInterval;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.executor = task -> {
            try {
                scheduler.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("Stopped; dropping peer task");
            }
        };
        this.games = new PeerGameFetcher(client, directory, events, executor, () -> this.timeout);
    }

    /** New intervals (the orchestrator's configuration changed); the next round uses them. */
    void retime(Duration pingInterval, Duration timeout) {
        this.pingInterval = pingInterval;
        this.timeout = timeout;
    }

    // ---- discovery backends

    @Override
    public void found(DiscoveredPeer peer) {
        if (peer != null && peer.address() != null) {
            executor.execute(() -> onReport(peer, false));
        }
    }

    @Override
    public void lost(DiscoveredPeer peer) {
        if (peer != null && peer.address() != null) {
            executor.execute(() -> onLost(peer));
        }
    }

    // ---- notices from peers (through our server)

    @Override
    public void introduced(String peerId, String name, InetSocketAddress listenAddress, long libraryRevision) {
        if (peerId != null && listenAddress != null) {
            executor.execute(() -> {
                departed.remove(peerId); // it is back
                heardFrom(peerId, listenAddress);
                onReport(new DiscoveredPeer(NOTICE, listenAddress, peerId, libraryRevision), true);
            });
        }
    }

    @Override
    public void libraryChanged(String peerId, long libraryRevision) {
        if (peerId != null) {
            executor.execute(() -> directory.peer(peerId).ifPresent(p -> games.refreshIfStale(p, libraryRevision)));
        }
    }

    @Override
    public void goodbye(String peerId) {
        if (peerId != null) {
            executor.execute(() -> {
                departed.put(peerId, Instant.now());
                removePeer(peerId, "said goodbye");
            });
        }
    }

    /**
     * One liveness round: drop the silent, say hello to the rest, except to those that said hello to us since
     * the last round; call on the tracker's thread.
     */
    void tick() {
        Instant now = Instant.now();
        Instant deadline = now.minus(timeout);
        dropSilent();
        for (PeerInfo peer : directory.peers()) {
            Instant heard = introducedAt.get(peer.peerId());
            if (heard == null || !heard.isAfter(now.minus(pingInterval)) || failing.contains(peer.peerId())) {
                greet(peer.address(), peer.peerId(), false);
            }
        }
        introducedAt.values().removeIf(at -> at.isBefore(deadline));
        probes.values().removeIf(p -> p.at().isBefore(deadline));
        departed.values().removeIf(at -> at.isBefore(now.minus(pingInterval)));
    }

    /**
     * Drops every peer not seen for longer than the timeout.
     *
     * @return how long until the next peer would time out if it stays silent (the timeout when none is
     *         known): the caller's one timer runs then, instead of polling
     */
    Duration dropSilent() {
        Instant now = Instant.now();
        Instant deadline = now.minus(timeout);
        Instant earliest = null;
        for (PeerInfo peer : directory.peers()) {
            if (peer.lastSeen().isBefore(deadline)) {
                removePeer(peer.peerId(), "silent for more than " + timeout.toSeconds() + " s");
            } else if (earliest == null || peer.lastSeen().isBefore(earliest)) {
                earliest = peer.lastSeen();
            }
        }
        return earliest == null ? timeout : Duration.between(now, earliest.plus(timeout));
    }

    /**
     * A known peer introduced itself at the address we know it by (its liveness round, or a library change):
     * it is alive, as an answered ping would show. A peer whose address fails our pings is not kept by this
     * (it may be unreachable from here); our next hello to it decides.
     */
    private void heardFrom(String peerId, InetSocketAddress listenAddress) {
        Optional<PeerInfo> known = directory.peer(peerId);
        if (known.isPresent() && known.get().address().equals(listenAddress) && !failing.contains(peerId)) {
            directory.touch(peerId);
            introducedAt.put(peerId, Instant.now());
        }
    }

    private void onReport(DiscoveredPeer report, boolean fromNotice) {
        if (identity.peerId().equals(report.peerId()) || isSelf(report.address())) {
            return;
        }
        if (report.peerId() != null && departed.containsKey(report.peerId())) {
            return; // a stale record of a peer that left; when it is back it introduces itself
        }
        Optional<PeerInfo> known = identify(report);
        if (fromNotice && known.isPresent() && movedPort(known.get(), report.address())) {
            // the peer itself says it listens elsewhere now: check it there, and move it if it answers
            moves.expect(known.get().peerId(), report.address());
            if (!greet(report.address(), null, false)) {
                moves.helloAgainLater(report.address());
            }
            return;
        }
        boolean revisionMoved = known.isPresent() && report.libraryRevision() >= 0
                && games.isStale(known.get().peerId(), report.libraryRevision());
        if (known.isPresent() && isFresh(known.get()) && !revisionMoved) {
            return; // answered lately and nothing new: liveness keeps it up to date
        }
        if (throttled(report, fromNotice)) {
            return;
        }
        probes.put(report.address(), new Probe(Instant.now(), report.peerId(), report.libraryRevision(), null));
        greet(report.address(), null, false);
    }

    /** The known peer a report is about: by its id, else by the address it answered at. */
    private Optional<PeerInfo> identify(DiscoveredPeer report) {
        if (report.peerId() != null) {
            return directory.peer(report.peerId());
        }
        Optional<PeerInfo> stored = byAddress(report.address());
        if (stored.isPresent()) {
            return stored;
        }
        Probe probe = probes.get(report.address());
        return probe != null && probe.answeredBy() != null ? directory.peer(probe.answeredBy()) : Optional.empty();
    }

    /**
     * Whether this address was said hello to lately for the same claim. A peer's own introduction after
     * an unanswered hello is never throttled: it has just reached us.
     */
    private boolean throttled(DiscoveredPeer report, boolean fromNotice) {
        Probe last = probes.get(report.address());
        if (last == null || last.at().isBefore(Instant.now().minus(pingInterval))) {
            return false;
        }
        if (fromNotice && last.answeredBy() == null) {
            return false;
        }
        boolean news = (report.peerId() != null && !report.peerId().equals(last.reportedId()))
                || (report.libraryRevision() >= 0 && report.libraryRevision() != last.reportedRevision());
        return !news;
    }

    private void onLost(DiscoveredPeer peer) {
        Optional<PeerInfo> known = peer.peerId() != null ? directory.peer(peer.peerId()) : byAddress(peer.address());
        // a hint only: the peer is dropped if it does not answer at that address any more
        known.filter(p -> p.address().equals(peer.address())).ifPresent(p -> greet(p.address(), p.peerId(), true));
    }

    /**
     * Says hello to an address: a known peer (liveness, {@code expectedPeerId} set) or one not known yet. A
     * hello rather than a ping, so that the peer learns we are alive and our library's revision too and can
     * leave its own liveness round to us.
     *
     * @return false when a ping or hello to that address is already under way (none is sent)
     */
    private boolean greet(InetSocketAddress address, String expectedPeerId, boolean removeOnFailure) {
        if (!greeting.add(address)) {
            return false;
        }
        CompletableFuture<PeerHello> answer = PeerRequests.bounded(
                () -> client.hello(address, server.localAddress().getPort(), libraryRevision.getAsLong()), timeout);
        answer.whenCompleteAsync((hello, error) -> {
            greeting.remove(address);
            boolean again = moves.takeHelloAgain(address);
            if (error != null || hello == null) {
                onPingFailed(address, expectedPeerId, removeOnFailure, error);
                if (again && moves.isTarget(address)) {
                    greet(address, null, false);
                } else if (moves.isTarget(address)) {
                    checkMoveAgain(address);
                }
            } else {
                onHello(address, hello, expectedPeerId, removeOnFailure);
            }
        }, executor);
        return true;
    }

    /** The check of a moving peer's new address failed: again a little later, a few times. */
    private void checkMoveAgain(InetSocketAddress address) {
        OptionalLong delay = moves.checkFailed(address);
        if (delay.isEmpty()) {
            LOG.debug("A moved peer did not answer at {} after {} tries", address, PeerMoves.MOVE_CHECKS);
            return;
        }
        try {
            scheduler.schedule(() -> {
                if (moves.isTarget(address)) {
                    greet(address, null, false);
                }
            }, delay.getAsLong(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Stopped; not checking {} again", address);
        }
    }

    private void onPingFailed(InetSocketAddress address, String expectedPeerId, boolean remove, Throwable error) {
        LOG.debug("No answer from {}: {}", address, PeerRequests.message(error));
        // the peer may have moved while the ping was under way (it introduced itself at a new port): a failure
        // at the address it left says nothing about it
        if (expectedPeerId != null && directory.peer(expectedPeerId).filter(p -> p.address().equals(address))
                .isPresent()) {
            failing.add(expectedPeerId);
            if (remove) {
                removePeer(expectedPeerId, "reported lost and not answering");
            }
        }
    }

    private void onHello(InetSocketAddress address, PeerHello hello, String expectedPeerId, boolean remove) {
        if (expectedPeerId == null) {
            probes.computeIfPresent(address, (a, p) -> p.answered(hello.peerId()));
        }
        if (expectedPeerId != null && !expectedPeerId.equals(hello.peerId())) {
            // someone else listens where this peer was: the peer itself is gone from there
            onPingFailed(address, expectedPeerId, remove, new IllegalStateException("another peer answered"));
        }
        if (identity.peerId().equals(hello.peerId())) {
            selfAddresses.add(address);
            return;
        }
        if (departed.containsKey(hello.peerId())) {
            LOG.debug("Ignoring {} at {}: it said goodbye", hello.peerId(), address);
            return;
        }
        if (hello.protocolVersion() < OLDEST_PROTOCOL || hello.protocolVersion() > server.protocolVersion()) {
            // peers speaking protocol 1 still see each other's games; only downloads need protocol 2
            LOG.debug("Ignoring {} at {}: protocol {} (we speak {} to {})", hello.peerId(), address,
                    hello.protocolVersion(), OLDEST_PROTOCOL, server.protocolVersion());
            return;
        }
        Optional<PeerInfo> known = directory.peer(hello.peerId());
        boolean moved = moves.arrived(hello.peerId(), address);
        if (moved) {
            LOG.info("Peer {} ({}) moved to {}", hello.name(), hello.peerId(), address);
        }
        PeerInfo peer;
        if (known.isPresent() && !known.get().address().equals(address) && !failing.contains(hello.peerId())
                && !moved) {
            // the same peer seen at a second address while the first one works: keep the first
            directory.touch(hello.peerId());
            peer = known.get();
        } else {
            peer = directory.upsert(hello.peerId(), hello.name(), address);
            failing.remove(hello.peerId());
        }
        if (known.isEmpty()) {
            LOG.info("Peer {} ({}) found at {}", peer.name(), peer.peerId(), address);
            events.accept(new LanspreadEvent.PeerDiscovered(peer));
        }
        games.refreshIfStale(peer, hello.libraryRevision()); // a new peer has no stored revision: fetched
    }

    private void removePeer(String peerId, String why) {
        games.forget(peerId);
        introducedAt.remove(peerId);
        moves.forget(peerId);
        failing.remove(peerId);
        directory.remove(peerId).ifPresent(p -> {
            LOG.info("Peer {} ({}) lost: {}", p.name(), p.peerId(), why);
            // whoever takes over this address next (the same peer restarted, or another) gets a fresh handshake
            client.disconnect(p.address());
            events.accept(new LanspreadEvent.PeerLost(p.peerId(), p.name()));
        });
    }

    /**
     * Whether an introduction names another port on the known peer's host: a peer with several addresses keeps
     * its port on each of them, while a reconfigured one moved.
     */
    private static boolean movedPort(PeerInfo known, InetSocketAddress introduced) {
        return known.address().getPort() != introduced.getPort()
                && Objects.equals(known.address().getAddress(), introduced.getAddress());
    }

    private boolean isSelf(InetSocketAddress address) {
        return selfAddresses.contains(address) || SelfAddress.matches(address, server.localAddress());
    }

    private boolean isFresh(PeerInfo peer) {
        return peer.lastSeen().isAfter(Instant.now().minus(pingInterval)) && !failing.contains(peer.peerId());
    }

    private Optional<PeerInfo> byAddress(InetSocketAddress address) {
        return directory.peers().stream().filter(p -> p.address().equals(address)).findFirst();
    }
}
