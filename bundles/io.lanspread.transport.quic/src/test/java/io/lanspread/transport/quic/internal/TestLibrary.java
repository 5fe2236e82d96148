package io.lanspread.transport.quic.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.UnsafePathException;

/**
 * A LocalLibrary over a real folder: every subfolder holding a version.ini is a game. A game's manifest is
 * hashed on first use and kept, with each file's size and modification time, until {@link #forget}.
 */
final class TestLibrary implements LocalLibrary {

    private record Hashed(GameManifest manifest, Map<String, FileTime> modified) {
    }

    private final Path root;
    private final Map<String, Hashed> hashed = new ConcurrentHashMap<>();

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
    public synchronized Optional<GameManifest> manifest(String gameId) {
        if (game(gameId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(hashed.computeIfAbsent(gameId, this::hash).manifest());
    }

    @Override
    public boolean isUnchanged(String gameId, String path) {
        Hashed h = hashed.get(gameId);
        if (h == null || !h.modified().containsKey(path)) {
            return false;
        }
        FileManifest entry = h.manifest().file(path).orElseThrow();
        Path file = root.resolve(gameId).resolve(path);
        try {
            return Files.size(file) == entry.size() && Files.getLastModifiedTime(file).equals(h.modified().get(path));
        } catch (IOException e) {
            return false;
        }
    }

    /** Drops a game's manifest; the next {@link #manifest} hashes it again. */
    void forget(String gameId) {
        hashed.remove(gameId);
    }

    private Hashed hash(String gameId) {
        try {
            Path dir = root.resolve(gameId);
            List<FileManifest> files = new ArrayList<>();
            Map<String, FileTime> modified = new HashMap<>();
            for (GameFile f : files(gameId)) {
                if (f.directory()) {
                    files.add(FileManifest.directory(f.path()));
                    continue;
                }
                Path file = dir.resolve(f.path());
                modified.put(f.path(), Files.getLastModifiedTime(file));
                byte[] data = Files.readAllBytes(file);
                MessageDigest whole = MessageDigest.getInstance("SHA-256");
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int at = 0; at < data.length; at += GameManifest.CHUNK_SIZE) {
                    MessageDigest chunk = MessageDigest.getInstance("SHA-256");
                    chunk.update(data, at, Math.min(GameManifest.CHUNK_SIZE, data.length - at));
                    chunks.writeBytes(chunk.digest());
                }
                files.add(new FileManifest(f.path(), data.length, false, whole.digest(data), chunks.toByteArray()));
            }
            String version = game(gameId).orElseThrow().version();
            return new Hashed(new GameManifest(gameId, version, GameManifest.CHUNK_SIZE, files), modified);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long revision() {
        return 7;
    }

    @Override
    public void rescan() {
    }
}
