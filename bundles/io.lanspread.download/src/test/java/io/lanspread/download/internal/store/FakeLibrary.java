package io.lanspread.download.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.UnsafePathException;

/** A library over a temp folder: resolve() checks paths like the real one, manifests are hashed on demand. */
final class FakeLibrary implements LocalLibrary {
    private final Path dir;
    private final int chunkSize;

    FakeLibrary(Path dir, int chunkSize) {
        this.dir = dir;
        this.chunkSize = chunkSize;
    }

    @Override
    public Path gameDirectory() {
        return dir;
    }

    @Override
    public List<Game> games() {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p.resolve("version.ini")))
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
        return manifest(gameId).orElseThrow(() -> new GameNotFoundException(gameId)).tree();
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

    /** True while the library has not hashed its games yet (as right after an install): no manifests. */
    volatile boolean hashing;

    @Override
    public Optional<GameManifest> manifest(String gameId) {
        if (hashing) {
            return Optional.empty();
        }
        Path game = dir.resolve(gameId);
        if (!Files.isRegularFile(game.resolve("version.ini"))) {
            return Optional.empty();
        }
        return Optional.of(TestGames.manifest(game, gameId, version(game), chunkSize));
    }

    @Override
    public boolean isUnchanged(String gameId, String path) {
        return true;
    }

    @Override
    public long revision() {
        return 0;
    }

    @Override
    public void rescan() {
    }
}
