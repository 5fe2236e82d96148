package io.lanspread.peer.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.game.Game;
import io.lanspread.api.peer.LocalIdentity;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerServer;

/**
 * Turns discovery reports into known peers and keeps them alive: ping an address, learn the peer id from
 * the answer, record the peer by id, fetch its games; ping every known peer periodically, re-fetch its
 * games when its library revision moved, and drop it when it stays silent too long.
 *
 * <p>All bookkeeping runs on one thread (the executor given), so it needs no locks; callbacks from the
 * discovery backends and the peer client only hand work over to it.
 */
final class PeerTracker implements DiscoveryListener {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTracker.class);

    private final LocalIdentity identity;
    private final PeerServer server;
    private final PeerClient client;
    private final PeerDirectory directory;
    private final Consumer<LanspreadEvent> events;
    private final Executor executor;
    private final Duration pingInterval;
    private final Duration timeout;

    private final Set<InetSocketAddress> pinging = new HashSet<>();
    private final Set<InetSocketAddress> selfAddresses = new HashSet<>();
    private final Set<String> fetching = new HashSet<>();
    /** The library revision each peer's stored game list belongs to. */
    private final Map<String, Long> revisions = new HashMap<>();
    /** Peers whose stored address failed its last ping. */
    private final Set<String> failing = new HashSet<>();

    PeerTracker(LocalIdentity identity, PeerServer server, PeerClient client, PeerDirectory directory,
            Consumer<LanspreadEvent> events, ScheduledExecutorService scheduler, Duration pingInterval,
            Duration timeout) {
        this.identity = identity;
        this.server = server;
        this.client = client;
        this.directory = directory;
        this.events = events;
        this.pingInterval = pingInterval;
        this.timeout = timeout;
        this.executor = task -> {
            try {
                scheduler.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("Stopped; dropping peer task");
            }
        };
    }

    @Override
    public void found(DiscoveredPeer peer) {
        if (peer != null && peer.address() != null) {
            executor.execute(() -> onFound(peer));
        }
    }

    @Override
    public void lost(DiscoveredPeer peer) {
        if (peer != null && peer.address() != null) {
            executor.execute(() -> onLost(peer));
        }
    }

    /** One liveness round; call on the tracker's thread. */
    void tick() {
        Instant deadline = Instant.now().minus(timeout);
        for (PeerInfo peer : directory.peers()) {
            if (peer.lastSeen().isBefore(deadline)) {
                removePeer(peer.peerId(), "silent for more than " + timeout.toSeconds() + " s");
            } else {
                ping(peer.address(), peer.peerId(), false);
            }
        }
    }

    private void onFound(DiscoveredPeer peer) {
        String selfId = identity.peerId();
        if (selfId.equals(peer.peerId()) || isSelf(peer.address())) {
            return;
        }
        Optional<PeerInfo> known = peer.peerId() != null ? directory.peer(peer.peerId()) : byAddress(peer.address());
        if (known.isPresent() && known.get().address().equals(peer.address()) && isFresh(known.get())
                && (peer.libraryRevision() < 0
                        || Objects.equals(revisions.get(known.get().peerId()), peer.libraryRevision()))) {
            return; // answered lately and nothing new advertised: liveness keeps it up to date
        }
        ping(peer.address(), null, false);
    }

    private void onLost(DiscoveredPeer peer) {
        Optional<PeerInfo> known = peer.peerId() != null ? directory.peer(peer.peerId()) : byAddress(peer.address());
        // a hint only: the peer is dropped if it does not answer at that address any more
        known.filter(p -> p.address().equals(peer.address())).ifPresent(p -> ping(p.address(), p.peerId(), true));
    }

    private void ping(InetSocketAddress address, String expectedPeerId, boolean removeOnFailure) {
        if (!pinging.add(address)) {
            return;
        }
        CompletableFuture<PeerHello> answer;
        try {
            answer = client.ping(address).toCompletableFuture().copy().orTimeout(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenCompleteAsync((hello, error) -> {
            pinging.remove(address);
            if (error != null || hello == null) {
                onPingFailed(address, expectedPeerId, removeOnFailure, error);
            } else {
                onHello(address, hello, expectedPeerId, removeOnFailure);
            }
        }, executor);
    }

    private void onPingFailed(InetSocketAddress address, String expectedPeerId, boolean remove, Throwable error) {
        LOG.debug("No answer from {}: {}", address, message(error));
        if (expectedPeerId != null) {
            failing.add(expectedPeerId);
            if (remove) {
                removePeer(expectedPeerId, "reported lost and not answering");
            }
        }
    }

    private void onHello(InetSocketAddress address, PeerHello hello, String expectedPeerId, boolean remove) {
        if (expectedPeerId != null && !expectedPeerId.equals(hello.peerId())) {
            // someone else listens where this peer was: the peer itself is gone from there
            onPingFailed(address, expectedPeerId, remove, new IllegalStateException("another peer answered"));
        }
        if (identity.peerId().equals(hello.peerId())) {
            selfAddresses.add(address);
            return;
        }
        if (hello.protocolVersion() != server.protocolVersion()) {
            LOG.debug("Ignoring {} at {}: protocol {} (we speak {})", hello.peerId(), address,
                    hello.protocolVersion(), server.protocolVersion());
            return;
        }
        Optional<PeerInfo> known = directory.peer(hello.peerId());
        PeerInfo peer;
        if (known.isPresent() && !known.get().address().equals(address) && !failing.contains(hello.peerId())) {
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
        if (known.isEmpty() || !Objects.equals(revisions.get(peer.peerId()), hello.libraryRevision())) {
            fetchGames(peer, hello.libraryRevision());
        }
    }

    private void fetchGames(PeerInfo peer, long revision) {
        String peerId = peer.peerId();
        if (!fetching.add(peerId)) {
            return;
        }
        CompletableFuture<List<Game>> games;
        try {
            games = client.listGames(peer.address()).toCompletableFuture().copy().orTimeout(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            games = CompletableFuture.failedFuture(e);
        }
        games.whenCompleteAsync((list, error) -> {
            fetching.remove(peerId);
            if (error != null || list == null) {
                LOG.debug("Could not fetch the games of {}: {}", peerId, message(error));
                return; // the stale revision makes the next liveness round try again
            }
            Optional<PeerInfo> current = directory.peer(peerId);
            if (current.isEmpty() || !directory.updateGames(peerId, list)) {
                return;
            }
            revisions.put(peerId, revision);
            if (!Set.copyOf(current.get().games()).equals(Set.copyOf(list))) {
                events.accept(new LanspreadEvent.GameListUpdated(peerId, current.get().name(), list));
            }
        }, executor);
    }

    private void removePeer(String peerId, String why) {
        revisions.remove(peerId);
        failing.remove(peerId);
        directory.remove(peerId).ifPresent(p -> {
            LOG.info("Peer {} ({}) lost: {}", p.name(), p.peerId(), why);
            events.accept(new LanspreadEvent.PeerLost(p.peerId(), p.name()));
        });
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

    private static String message(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause == null ? "no answer" : cause.toString();
    }
}
