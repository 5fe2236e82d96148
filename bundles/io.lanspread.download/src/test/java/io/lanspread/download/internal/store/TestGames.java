package io.lanspread.download.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/** Game folders on disk and their manifests, hashed the way a peer does. */
final class TestGames {
    private TestGames() {
    }

    static byte[] bytes(long seed, int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Writes {@code files} (path to content; null content makes a folder) into {@code folder}. */
    static void write(Path folder, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = folder.resolve(e.getKey());
            if (e.getValue() == null) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
        }
    }

    static GameManifest manifest(Path folder, String gameId, String version, int chunkSize) {
        List<FileManifest> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(folder)) {
                    continue;
                }
                String path = folder.relativize(p).toString().replace('\\', '/');
                files.add(Files.isDirectory(p) ? FileManifest.directory(path) : entry(path, Files.readAllBytes(p), chunkSize));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort((a, b) -> a.path().compareTo(b.path()));
        return new GameManifest(gameId, version, chunkSize, files);
    }

    static FileManifest entry(String path, byte[] content, int chunkSize) {
        ByteBuffer chunks = ByteBuffer.allocate((content.length + chunkSize - 1) / chunkSize * FileManifest.HASH_LENGTH);
        for (int off = 0; off < content.length; off += chunkSize) {
            chunks.put(Hashes.sha256(ByteBuffer.wrap(content, off, Math.min(chunkSize, content.length - off))));
        }
        return new FileManifest(path, content.length, false, Hashes.sha256(ByteBuffer.wrap(content)), chunks.array());
    }

    /** The bytes of {@code chunk} as they are in {@code folder}. */
    static ByteBuffer chunkBytes(Path folder, Chunk chunk) throws IOException {
        byte[] all = Files.readAllBytes(folder.resolve(chunk.path()));
        return ByteBuffer.wrap(all, (int) chunk.offset(), chunk.length()).slice();
    }
}
