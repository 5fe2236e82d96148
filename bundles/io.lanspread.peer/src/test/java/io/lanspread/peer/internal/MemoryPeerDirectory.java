package io.lanspread.peer.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.VersionOrder;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.peer.RemoteGame;

/** A minimal PeerDirectory for tests: a map by peer id, lastSeen from the wall clock. */
final class MemoryPeerDirectory implements PeerDirectory {

    private final Map<String, PeerInfo> peers = new ConcurrentHashMap<>();
    /** Calls of {@link #peers()}: what a periodic check would show up in. */
    final java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public synchronized PeerInfo upsert(String peerId, String name, InetSocketAddress address) {
        List<Game> games = Optional.ofNullable(peers.get(peerId)).map(PeerInfo::games).orElse(List.of());
        PeerInfo info = new PeerInfo(peerId, name, address, Instant.now(), games);
        peers.put(peerId, info);
        return info;
    }

    @Override
    public synchronized boolean touch(String peerId) {
        PeerInfo p = peers.get(peerId);
        if (p == null) {
            return false;
        }
        peers.put(peerId, new PeerInfo(peerId, p.name(), p.address(), Instant.now(), p.games()));
        return true;
    }

    /** For tests: pretend the peer was last seen at {@code when}. */
    synchronized void seenAt(String peerId, Instant when) {
        PeerInfo p = peers.get(peerId);
        peers.put(peerId, new PeerInfo(peerId, p.name(), p.address(), when, p.games()));
    }

    @Override
    public synchronized boolean updateGames(String peerId, List<Game> games) {
        PeerInfo p = peers.get(peerId);
        if (p == null) {
            return false;
        }
        peers.put(peerId, new PeerInfo(peerId, p.name(), p.address(), p.lastSeen(), games));
        return true;
    }

    @Override
    public synchronized Optional<PeerInfo> remove(String peerId) {
        return Optional.ofNullable(peers.remove(peerId));
    }

    @Override
    public List<PeerInfo> peers() {
        listings.incrementAndGet();
        return peers.values().stream()
                .sorted(Comparator.comparing(PeerInfo::name).thenComparing(PeerInfo::peerId)).toList();
    }

    @Override
    public Optional<PeerInfo> peer(String peerId) {
        return Optional.ofNullable(peers.get(peerId));
    }

    @Override
    public List<RemoteGame> games() {
        Map<String, RemoteGame> newest = new TreeMap<>();
        for (PeerInfo p : peers()) {
            for (Game g : p.games()) {
                RemoteGame known = newest.get(g.id());
                int c = known == null ? 1 : VersionOrder.NATURAL.compare(g.version(), known.game().version());
                if (c > 0) {
                    newest.put(g.id(), new RemoteGame(g, List.of(p.peerId())));
                } else if (c == 0) {
                    List<String> ids = new ArrayList<>(known.peerIds());
                    ids.add(p.peerId());
                    newest.put(g.id(), new RemoteGame(known.game(), ids.stream().sorted().toList()));
                }
            }
        }
        return List.copyOf(newest.values());
    }

    @Override
    public Optional<RemoteGame> game(String gameId) {
        return games().stream().filter(r -> r.game().id().equals(gameId)).findFirst();
    }

    @Override
    public List<PeerInfo> peersWithGame(String gameId, String version) {
        return peers().stream()
                .filter(p -> p.games().stream().anyMatch(g -> g.id().equals(gameId) && g.version().equals(version)))
                .toList();
    }
}
