package io.lanspread.catalog.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.lanspread.api.game.Game;

/**
 * One published scan result; immutable.
 *
 * @param gamesDir the game directory that was scanned
 * @param games    the games sorted by id
 * @param revision grows whenever the directory or the games differ from the previous snapshot
 * @param ticket   the order in which the scan started; a scan never replaces a newer one's result
 */
record LibrarySnapshot(Path gamesDir, List<Game> games, Map<String, Game> byId, long revision, long ticket) {

    LibrarySnapshot {
        games = List.copyOf(games);
        byId = Map.copyOf(byId);
    }

    static LibrarySnapshot of(Path gamesDir, List<Game> games, long revision, long ticket) {
        return new LibrarySnapshot(gamesDir, games,
                games.stream().collect(Collectors.toMap(Game::id, Function.identity())), revision, ticket);
    }

    /** The snapshot that a scan with these results should publish after this one. */
    LibrarySnapshot next(Path scannedDir, List<Game> scannedGames, long scanTicket) {
        boolean same = gamesDir.equals(scannedDir) && games.equals(scannedGames);
        return of(scannedDir, scannedGames, same ? revision : revision + 1, scanTicket);
    }
}
