package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.UnsafePathException;

/** A LocalLibrary over a real folder: every subfolder holding a version.ini is a game. */
final class TestLibrary implements LocalLibrary {

    private final Path root;

    TestLibrary(Path root) {
        this.root = root;
    }

    @Override
    public Path gameDirectory() {
        return root;
    }

    @Override
    public List<Game> games() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("version.ini")))
                    .map(d -> game(d.getFileName().toString()).orElseThrow())
                    .sorted(Comparator.comparing(Game::id)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Game> game(String gameId) {
        if (gameId.contains("/") || gameId.contains("..") || gameId.contains("\\")) {
            return Optional.empty();
        }
        Path dir = root.resolve(gameId);
        Path ini = dir.resolve("version.ini");
        if (!Files.isRegularFile(ini)) {
            return Optional.empty();
        }
        try {
            String version = Files.readAllLines(ini).stream().filter(l -> l.startsWith("version="))
                    .map(l -> l.substring(8)).findFirst().orElse("");
            long size;
            try (Stream<Path> files = Files.walk(dir)) {
                size = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            return Optional.of(new Game(gameId, gameId.toUpperCase(), version, size));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<GameFile> files(String gameId) throws IOException {
        if (game(gameId).isEmpty()) {
            throw new GameNotFoundException(gameId);
        }
        Path dir = root.resolve(gameId);
        List<GameFile> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.filter(p -> !p.equals(dir))::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                boolean directory = Files.isDirectory(p);
                out.add(new GameFile(rel, directory ? 0 : Files.size(p), directory));
            }
        }
        out.sort(Comparator.comparing(GameFile::path));
        return out;
    }

    @Override
    public Path resolve(String gameId, String relativePath) {
        for (String s : List.of(gameId, relativePath)) {
            if (s.isEmpty() || s.startsWith("/") || s.contains("\\") || s.contains("\0") || s.contains("..")) {
                throw new UnsafePathException("unsafe: " + s);
            }
        }
        Path game = root.resolve(gameId).normalize();
        Path p = game.resolve(relativePath).normalize();
        if (!p.startsWith(game)) {
            throw new UnsafePathException("outside: " + relativePath);
        }
        return p;
    }

    @Override
    public long revision() {
        return 7;
    }

    @Override
    public void rescan() {
    }
}
