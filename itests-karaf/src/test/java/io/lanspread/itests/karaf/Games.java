package io.lanspread.itests.karaf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Game folders on disk, and a byte-for-byte comparison of two of them. */
final class Games {

    private static final int CHUNK = 512 * 1024;

    private Games() {
    }

    /** A game of several chunks, nested folders, an empty file and a file that is not a whole chunk. */
    static Path write(Path gamesDir, String id, String version, long seed) throws IOException {
        Path game = Files.createDirectories(gamesDir.resolve(id));
        Random random = new Random(seed);
        write(game.resolve("bin/game.bin"), random, 3 * CHUNK + 4321);
        write(game.resolve("data/maps/one.map"), random, CHUNK - 7);
        write(game.resolve("data/empty.cfg"), random, 0);
        write(game.resolve("readme.txt"), random, 999);
        Files.writeString(game.resolve("version.ini"), "[game]\nname=Game " + id + "\nversion=" + version + "\n");
        return game;
    }

    private static void write(Path file, Random random, int size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        Files.write(file, bytes);
    }

    /** Empty when both trees hold the same paths with the same bytes; otherwise what differs. */
    static String difference(Path expected, Path actual) throws IOException {
        TreeMap<String, byte[]> a = snapshot(expected);
        TreeMap<String, byte[]> b = snapshot(actual);
        StringBuilder diff = new StringBuilder();
        if (!a.keySet().equals(b.keySet())) {
            diff.append("paths differ: expected ").append(a.keySet()).append(", got ").append(b.keySet()).append('\n');
        }
        a.forEach((path, bytes) -> {
            if (b.containsKey(path) && !Arrays.equals(bytes, b.get(path))) {
                diff.append("content differs: ").append(path).append('\n');
            }
        });
        return diff.toString();
    }

    private static TreeMap<String, byte[]> snapshot(Path root) throws IOException {
        TreeMap<String, byte[]> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!p.equals(root)) {
                    tree.put(root.relativize(p).toString(), Files.isDirectory(p) ? null : Files.readAllBytes(p));
                }
            }
        }
        return tree;
    }
}
