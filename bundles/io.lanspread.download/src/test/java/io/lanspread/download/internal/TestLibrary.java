package io.lanspread.download.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.UnsafePathException;

/** A library over a temp folder whose resolve() checks paths like the real one. */
final class TestLibrary implements LocalLibrary {
    private final Path dir;
    final AtomicInteger rescans = new AtomicInteger();

    TestLibrary(Path dir) {
        this.dir = dir;
    }

    @Override
    public Path gameDirectory() {
        return dir;
    }

    @Override
    public List<Game> games() {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("version.ini")))
                    .map(p -> new Game(p.getFileName().toString(), p.getFileName().toString(), version(p), 0))
                    .sorted((a, b) -> a.id().compareTo(b.id()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String version(Path game) {
        try {
            return Files.readString(game.resolve("version.ini")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Game> game(String gameId) {
        return games().stream().filter(g -> g.id().equals(gameId)).findFirst();
    }

    @Override
    public List<GameFile> files(String gameId) throws IOException {
        if (game(gameId).isEmpty()) {
            throw new GameNotFoundException(gameId);
        }
        return GameTrees.list(dir.resolve(gameId));
    }

    @Override
    public Path resolve(String gameId, String relativePath) {
        check(gameId, "game id");
        if (gameId.contains("/")) {
            throw new UnsafePathException("game id with a slash: " + gameId);
        }
        check(relativePath, "path");
        Path game = dir.resolve(gameId).normalize();
        Path resolved = game.resolve(relativePath).normalize();
        if (!resolved.startsWith(game)) {
            throw new UnsafePathException("outside the game folder: " + relativePath);
        }
        return resolved;
    }

    private static void check(String value, String what) {
        if (value == null || value.isEmpty() || value.startsWith("/") || value.contains("\\") || value.contains("\0")) {
            throw new UnsafePathException("unsafe " + what + ": " + value);
        }
        List<String> parts = new ArrayList<>(List.of(value.split("/")));
        if (parts.contains("..") || parts.contains(".")) {
            throw new UnsafePathException("unsafe " + what + ": " + value);
        }
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
