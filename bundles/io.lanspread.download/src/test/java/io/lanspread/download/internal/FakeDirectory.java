package io.lanspread.download.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.VersionOrder;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.peer.RemoteGame;

/** A peer directory the test fills by hand. */
final class FakeDirectory implements PeerDirectory {
    private final Map<String, PeerInfo> peers = new ConcurrentHashMap<>();

    PeerInfo put(String peerId, InetSocketAddress address, List<Game> games) {
        PeerInfo peer = new PeerInfo(peerId, peerId, address, Instant.now(), games);
        peers.put(peerId, peer);
        return peer;
    }

    @Override
    public PeerInfo upsert(String peerId, String name, InetSocketAddress address) {
        return peers.compute(peerId, (id, old) -> new PeerInfo(id, name, address, Instant.now(),
                old == null ? List.of() : old.games()));
    }

    @Override
    public boolean touch(String peerId) {
        return peers.containsKey(peerId);
    }

    @Override
    public boolean updateGames(String peerId, List<Game> games) {
        return peers.computeIfPresent(peerId, (id, old) -> new PeerInfo(id, old.name(), old.address(), Instant.now(),
                games)) != null;
    }

    @Override
    public Optional<PeerInfo> remove(String peerId) {
        return Optional.ofNullable(peers.remove(peerId));
    }

    @Override
    public List<PeerInfo> peers() {
        return peers.values().stream().sorted(Comparator.comparing(PeerInfo::peerId)).toList();
    }

    @Override
    public Optional<PeerInfo> peer(String peerId) {
        return Optional.ofNullable(peers.get(peerId));
    }

    @Override
    public List<RemoteGame> games() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RemoteGame> game(String gameId) {
        Optional<Game> newest = peers.values().stream().flatMap(p -> p.games().stream())
                .filter(g -> g.id().equals(gameId)).max(Comparator.comparing(Game::version, VersionOrder.NATURAL));
        return newest.map(g -> new RemoteGame(g, peersWithGame(gameId, g.version()).stream().map(PeerInfo::peerId).toList()));
    }

    @Override
    public List<PeerInfo> peersWithGame(String gameId, String version) {
        return peers().stream().filter(p -> p.games().stream()
                .anyMatch(g -> g.id().equals(gameId) && g.version().equals(version))).toList();
    }
}
