package io.lanspread.catalog.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.lanspread.api.game.Game;
import io.lanspread.fuzz.Configs;

/** A real {@link GameLibrary} on a folder, started as DS would and waited for until it serves given games. */
public final class RunningLibrary implements AutoCloseable {

    private final GameLibrary library;

    /** Scans {@code games} once (no watching, no periodic scans) and lists games without a quiet period. */
    public RunningLibrary(Path games, Path state) {
        library = new GameLibrary(Configs.of(GameLibrary.Config.class, Map.of("games.dir", games.toString(),
                "state.dir", state.toString(), "rescan.interval.seconds", 0L, "watch.enabled", false,
                "serve.quiet.seconds", 0.0)));
    }

    public GameLibrary library() {
        return library;
    }

    /** Polls until every game in {@code ids} is listed with its manifest. */
    public void awaitGames(Set<String> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!listed().containsAll(ids) || ids.stream().anyMatch(id -> library.manifest(id).isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the library listed " + listed() + ", not " + ids + ", within " + timeout);
            }
            try {
                Thread.sleep(20); // a poll's pause, not a wait for the state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private Set<String> listed() {
        return library.games().stream().map(Game::id).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        library.deactivate();
    }
}
