package io.lanspread.catalog.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.VersionOrder;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.peer.RemoteGame;

/**
 * PeerGameDB: remote peers by peer id, each an immutable {@link PeerInfo} replaced atomically, so
 * concurrent updates of the same peer never lose each other's changes. Aggregated views (newest version
 * of each title) are computed from a consistent-enough copy on every call; they are small.
 */
@Component(name = PeerGameDb.PID, service = PeerDirectory.class)
public final class PeerGameDb implements PeerDirectory {

    static final String PID = "io.lanspread.catalog.peers";

    private static final Comparator<PeerInfo> BY_NAME_THEN_ID =
            Comparator.comparing(PeerInfo::name).thenComparing(PeerInfo::peerId);

    private final Map<String, PeerInfo> peers = new ConcurrentHashMap<>();
    private final Clock clock;

    @Activate
    public PeerGameDb() {
        this(Clock.systemUTC());
    }

    PeerGameDb(Clock clock) {
        this.clock = clock;
    }

    @Override
    public PeerInfo upsert(String peerId, String name, InetSocketAddress address) {
        Objects.requireNonNull(peerId, "peerId");
        String shownName = name == null || name.isBlank() ? peerId : name;
        return peers.compute(peerId, (id, old) -> new PeerInfo(id, shownName,
                address != null || old == null ? address : old.address(),
                clock.instant(), old == null ? List.of() : old.games()));
    }

    @Override
    public boolean touch(String peerId) {
        Instant now = clock.instant();
        return peerId != null && peers.computeIfPresent(peerId,
                (id, old) -> new PeerInfo(id, old.name(), old.address(), now, old.games())) != null;
    }

    @Override
    public boolean updateGames(String peerId, List<Game> games) {
        List<Game> normalized = normalize(games);
        return peerId != null && peers.computeIfPresent(peerId,
                (id, old) -> new PeerInfo(id, old.name(), old.address(), old.lastSeen(), normalized)) != null;
    }

    @Override
    public Optional<PeerInfo> remove(String peerId) {
        return peerId == null ? Optional.empty() : Optional.ofNullable(peers.remove(peerId));
    }

    @Override
    public List<PeerInfo> peers() {
        List<PeerInfo> all = new ArrayList<>(peers.values());
        all.sort(BY_NAME_THEN_ID);
        return List.copyOf(all);
    }

    @Override
    public Optional<PeerInfo> peer(String peerId) {
        return peerId == null ? Optional.empty() : Optional.ofNullable(peers.get(peerId));
    }

    @Override
    public List<RemoteGame> games() {
        Map<String, Map<String, Game>> byTitle = new TreeMap<>(); // game id -> peer id -> game
        for (PeerInfo peer : peers.values()) {
            for (Game game : peer.games()) {
                byTitle.computeIfAbsent(game.id(), k -> new TreeMap<>()).put(peer.peerId(), game);
            }
        }
        List<RemoteGame> result = new ArrayList<>(byTitle.size());
        byTitle.values().forEach(holders -> result.add(newest(holders)));
        return List.copyOf(result);
    }

    @Override
    public Optional<RemoteGame> game(String gameId) {
        if (gameId == null) {
            return Optional.empty();
        }
        Map<String, Game> holders = new TreeMap<>();
        for (PeerInfo peer : peers.values()) {
            find(peer, gameId).ifPresent(game -> holders.put(peer.peerId(), game));
        }
        return holders.isEmpty() ? Optional.empty() : Optional.of(newest(holders));
    }

    @Override
    public List<PeerInfo> peersWithGame(String gameId, String version) {
        if (gameId == null || version == null) {
            return List.of();
        }
        List<PeerInfo> result = new ArrayList<>();
        for (PeerInfo peer : peers.values()) {
            find(peer, gameId).filter(game -> game.version().equals(version)).ifPresent(game -> result.add(peer));
        }
        result.sort(BY_NAME_THEN_ID);
        return List.copyOf(result);
    }

    /**
     * The newest version among the holders of one title.
     *
     * @param holders peer id -> that peer's game, sorted by peer id
     */
    private static RemoteGame newest(Map<String, Game> holders) {
        String newest = null;
        for (Game game : holders.values()) {
            if (newest == null || VersionOrder.NATURAL.compare(game.version(), newest) > 0) {
                newest = game.version();
            }
        }
        Game representative = null;
        List<String> peerIds = new ArrayList<>();
        for (Map.Entry<String, Game> holder : holders.entrySet()) {
            if (holder.getValue().version().equals(newest)) {
                peerIds.add(holder.getKey());
                if (representative == null) {
                    representative = holder.getValue(); // the holder with the smallest peer id
                }
            }
        }
        return new RemoteGame(representative, peerIds);
    }

    private static Optional<Game> find(PeerInfo peer, String gameId) {
        for (Game game : peer.games()) {
            if (game.id().equals(gameId)) {
                return Optional.of(game);
            }
        }
        return Optional.empty();
    }

    /** Drops malformed entries and keeps one entry per id (the newest version), sorted by id. */
    private static List<Game> normalize(Collection<Game> games) {
        if (games == null) {
            return List.of();
        }
        Map<String, Game> byId = new LinkedHashMap<>();
        for (Game game : games) {
            if (game == null || game.id() == null || game.version() == null) {
                continue;
            }
            byId.merge(game.id(), game,
                    (a, b) -> VersionOrder.NATURAL.compare(b.version(), a.version()) > 0 ? b : a);
        }
        List<Game> sorted = new ArrayList<>(byId.values());
        sorted.sort(Comparator.comparing(Game::id));
        return sorted;
    }
}
