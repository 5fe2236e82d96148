package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds game folders on disk and compares trees byte for byte. */
public final class GameFixture {

    public static final int CHUNK = 512 * 1024;

    private GameFixture() {
    }

    /**
     * A game with nested folders, an empty file, an empty folder, a file whose size is not a multiple of
     * 512 KiB and one that spans several chunks.
     */
    public static Path writeSampleGame(Path gamesDir, String id, String version, long seed) throws IOException {
        Path game = Files.createDirectories(gamesDir.resolve(id));
        Random random = new Random(seed);
        write(game.resolve("bin/game.exe"), random, 3 * CHUNK + 12_345);
        write(game.resolve("data/levels/level1.pak"), random, CHUNK - 1);
        write(game.resolve("data/levels/deep/er/still/tiny.txt"), random, 17);
        write(game.resolve("data/empty.cfg"), random, 0);
        Files.createDirectories(game.resolve("saves"));
        write(game.resolve("readme.txt"), random, 1000);
        Files.writeString(game.resolve("version.ini"), "[game]\nname=Sample " + id + "\nversion=" + version + "\n");
        return game;
    }

    private static void write(Path file, Random random, int size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        Files.write(file, bytes);
    }

    /** Relative path -> file bytes (directories map to null), for comparing two trees. */
    public static TreeMap<String, byte[]> snapshot(Path root) throws IOException {
        TreeMap<String, byte[]> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace('\\', '/');
                tree.put(rel, Files.isDirectory(p) ? null : Files.readAllBytes(p));
            }
        }
        return tree;
    }

    /** A readable description of how two trees differ, or empty when they are identical. */
    public static String difference(Path expected, Path actual) throws IOException {
        TreeMap<String, byte[]> a = snapshot(expected);
        TreeMap<String, byte[]> b = snapshot(actual);
        StringBuilder diff = new StringBuilder();
        if (!a.keySet().equals(b.keySet())) {
            diff.append("paths differ: expected ").append(a.keySet()).append(" actual ").append(b.keySet()).append('\n');
        }
        for (var e : a.entrySet()) {
            byte[] other = b.get(e.getKey());
            if (b.containsKey(e.getKey()) && !Arrays.equals(e.getValue(), other)) {
                diff.append("content differs: ").append(e.getKey()).append('\n');
            }
        }
        return diff.toString();
    }
}
