package io.lanspread.peer.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.lanspread.api.control.GameListing;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.VersionOrder;
import io.lanspread.api.peer.RemoteGame;

/** Merges the local library with what the peers have, by game id. */
final class GameListings {

    private GameListings() {
    }

    /** Every title, sorted by id, at its newest version. */
    static List<GameListing> merge(List<Game> local, List<RemoteGame> remote) {
        Map<String, Game> localById = new TreeMap<>();
        local.forEach(g -> localById.put(g.id(), g));
        Map<String, RemoteGame> remoteById = new TreeMap<>();
        remote.forEach(r -> remoteById.put(r.game().id(), r));
        TreeMap<String, GameListing> merged = new TreeMap<>();
        localById.forEach((id, g) -> merged.put(id, listing(g, remoteById.get(id))));
        remoteById.forEach((id, r) -> merged.computeIfAbsent(id, k -> listing(null, r)));
        return new ArrayList<>(merged.values());
    }

    static Optional<GameListing> find(String gameId, Optional<Game> local, Optional<RemoteGame> remote) {
        if (local.isEmpty() && remote.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(listing(local.orElse(null), remote.orElse(null)));
    }

    private static GameListing listing(Game local, RemoteGame remote) {
        Comparator<String> versions = VersionOrder.NATURAL;
        Game newest;
        if (local == null) {
            newest = remote.game();
        } else if (remote == null || versions.compare(local.version(), remote.game().version()) >= 0) {
            newest = local;
        } else {
            newest = remote.game();
        }
        boolean isLocal = local != null && local.version().equals(newest.version());
        List<String> peers = remote != null && remote.game().version().equals(newest.version())
                ? remote.peerIds()
                : List.of();
        return new GameListing(newest, isLocal, peers, local == null ? null : local.version());
    }
}
