package io.lanspread.download.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.lanspread.api.game.GameFile;

/** Builds game folders with real bytes and lists or compares them. */
final class GameTrees {
    private GameTrees() {
    }

    /**
     * A game with nested folders, an empty file, an empty folder, a file that is not a multiple of 512 KiB
     * and a multi-chunk file.
     */
    static void writeSampleGame(Path game, String version, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(game.resolve("bin"));
        Files.createDirectories(game.resolve("data/levels/deep"));
        Files.createDirectories(game.resolve("saves")); // empty folder
        Files.writeString(game.resolve("version.ini"), version + "\n");
        Files.write(game.resolve("bin/game.bin"), bytes(random, 3 * 512 * 1024 * 2 + 12_345)); // 7 chunks
        Files.write(game.resolve("data/levels/level1.dat"), bytes(random, 100_000));
        Files.write(game.resolve("data/levels/deep/map.dat"), bytes(random, 512 * 1024)); // exactly one chunk
        Files.write(game.resolve("data/empty.txt"), new byte[0]);
        Files.writeString(game.resolve("readme.txt"), "a test game, seed " + seed + "\n");
    }

    static byte[] bytes(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    /** The tree as a peer would describe it: directories and files, '/' separators, sorted by path. */
    static List<GameFile> list(Path game) throws IOException {
        try (Stream<Path> walk = Files.walk(game)) {
            return walk.filter(p -> !p.equals(game))
                    .map(p -> {
                        String rel = game.relativize(p).toString().replace('\\', '/');
                        try {
                            boolean dir = Files.isDirectory(p);
                            return new GameFile(rel, dir ? 0 : Files.size(p), dir);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .sorted(Comparator.comparing(GameFile::path))
                    .toList();
        }
    }

    static long size(List<GameFile> files) {
        return files.stream().filter(f -> !f.directory()).mapToLong(GameFile::size).sum();
    }

    /** Null when both trees hold the same paths with the same bytes, else what differs. */
    static String difference(Path expected, Path actual) throws IOException {
        List<GameFile> a = list(expected);
        List<GameFile> b = list(actual);
        if (!a.equals(b)) {
            return "trees differ: expected " + a + " but found " + b;
        }
        for (GameFile file : a) {
            if (!file.directory()) {
                long mismatch = Files.mismatch(expected.resolve(file.path()), actual.resolve(file.path()));
                if (mismatch != -1) {
                    return file.path() + " differs at byte " + mismatch;
                }
            }
        }
        return null;
    }
}
