package io.lanspread.download.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;
import io.lanspread.download.internal.verify.ChunkVerifier;

/** A game's bytes in memory and its true manifest, with a small chunk size so that tests have many chunks. */
final class FakeGame {
    static final int CHUNK = 1024;

    final String id;
    final String version;
    final Map<String, byte[]> files;

    FakeGame(String id, String version, Map<String, byte[]> files) {
        this.id = id;
        this.version = version;
        this.files = new TreeMap<>(files);
    }

    /** Three files: 20 chunks, 12.5 chunks and an empty file; plus a folder. */
    static FakeGame sample(String id, String version, long seed) {
        Random random = new Random(seed);
        Map<String, byte[]> files = new TreeMap<>();
        files.put("bin/game.bin", bytes(random, 20 * CHUNK));
        files.put("data/level.dat", bytes(random, 12 * CHUNK + 500));
        files.put("data/empty.txt", new byte[0]);
        files.put("version.ini", (version + "\n").getBytes());
        return new FakeGame(id, version, files);
    }

    static byte[] bytes(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    /** A copy with one file's bytes changed (same size). */
    FakeGame withChangedFile(String path, String newVersion) {
        Map<String, byte[]> copy = new TreeMap<>(files);
        byte[] changed = copy.get(path).clone();
        for (int i = 0; i < changed.length; i += 97) {
            changed[i] ^= 0x5a;
        }
        copy.put(path, changed);
        if (!newVersion.equals(version)) {
            copy.put("version.ini", (newVersion + "\n").getBytes());
        }
        return new FakeGame(id, newVersion, copy);
    }

    Game game() {
        return new Game(id, id, version, files.values().stream().mapToLong(b -> b.length).sum());
    }

    GameManifest manifest() {
        List<FileManifest> entries = new ArrayList<>();
        entries.add(FileManifest.directory("data"));
        files.forEach((path, bytes) -> entries.add(file(path, bytes)));
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return new GameManifest(id, version, CHUNK, entries);
    }

    static FileManifest file(String path, byte[] bytes) {
        int chunks = (bytes.length + CHUNK - 1) / CHUNK;
        byte[] hashes = new byte[chunks * 32];
        for (int c = 0; c < chunks; c++) {
            int from = c * CHUNK;
            int to = Math.min(bytes.length, from + CHUNK);
            byte[] hash = ChunkVerifier.sha256(ByteBuffer.wrap(bytes, from, to - from));
            System.arraycopy(hash, 0, hashes, c * 32, 32);
        }
        return new FileManifest(path, bytes.length, false, ChunkVerifier.sha256(ByteBuffer.wrap(bytes)), hashes);
    }

    long size() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    int chunkCount() {
        return manifest().totalChunks();
    }
}
