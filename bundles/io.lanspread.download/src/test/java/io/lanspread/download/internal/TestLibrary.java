package io.lanspread.download.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.UnsafePathException;

/** An empty library whose resolve() refuses unsafe ids like the real one; counts rescans. */
final class TestLibrary implements LocalLibrary {
    final AtomicInteger rescans = new AtomicInteger();
    private final Path games;

    TestLibrary() {
        this(Path.of("/mem/games"));
    }

    TestLibrary(Path games) {
        this.games = games;
    }

    @Override
    public Path gameDirectory() {
        return games;
    }

    @Override
    public List<Game> games() {
        return List.of();
    }

    @Override
    public Optional<Game> game(String gameId) {
        return Optional.empty();
    }

    @Override
    public List<GameFile> files(String gameId) {
        return List.of();
    }

    @Override
    public Path resolve(String gameId, String relativePath) {
        if (gameId.isEmpty() || gameId.contains("/") || gameId.contains("\\") || gameId.equals("..")
                || gameId.equals(".") || gameId.contains("\0")) {
            throw new UnsafePathException("unsafe game id: " + gameId);
        }
        return gameDirectory().resolve(gameId).resolve(relativePath);
    }

    @Override
    public Optional<GameManifest> manifest(String gameId) {
        return Optional.empty();
    }

    @Override
    public boolean isUnchanged(String gameId, String path) {
        return false;
    }

    @Override
    public long revision() {
        return rescans.get();
    }

    @Override
    public void rescan() {
        rescans.incrementAndGet();
    }
}
