package io.lanspread.catalog.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.lanspread.api.game.Game;

/**
 * What the library lists at one moment; immutable.
 *
 * @param gamesDir the game directory
 * @param games    the listed games sorted by id
 * @param served   the listed games by id, with their manifests
 * @param revision grows whenever the directory, the listed games or a listed game's manifest differ from
 *                 the previous snapshot
 */
record LibrarySnapshot(Path gamesDir, List<Game> games, Map<String, ServedGame> served, long revision) {

    LibrarySnapshot {
        games = List.copyOf(games);
        served = Map.copyOf(served);
    }

    static LibrarySnapshot empty(Path gamesDir, long revision) {
        return new LibrarySnapshot(gamesDir, List.of(), Map.of(), revision);
    }

    /** The snapshot to publish after this one for these listed games (sorted by id); this one when nothing differs. */
    LibrarySnapshot next(Path dir, Map<String, ServedGame> listed) {
        List<Game> nextGames = listed.values().stream().map(ServedGame::game).toList();
        if (gamesDir.equals(dir) && sameServed(listed)) {
            return this;
        }
        return new LibrarySnapshot(dir, nextGames, listed, revision + 1);
    }

    private boolean sameServed(Map<String, ServedGame> listed) {
        if (listed.size() != served.size()) {
            return false;
        }
        for (Map.Entry<String, ServedGame> entry : listed.entrySet()) {
            ServedGame mine = served.get(entry.getKey());
            // a manifest is recomputed only after its tree changed, so identity tells a change apart
            if (mine == null || !mine.game().equals(entry.getValue().game())
                    || mine.manifest() != entry.getValue().manifest()) {
                return false;
            }
        }
        return true;
    }
}
