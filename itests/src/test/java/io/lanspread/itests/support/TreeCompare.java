package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Byte-for-byte comparison of two folder trees on this machine (same paths, same kinds, same sizes, same
 * bytes): for big games, where reading both copies is much cheaper than hashing them.
 */
public final class TreeCompare {

    private TreeCompare() {
    }

    /**
     * A readable description of how {@code actual} differs from {@code expected}, or empty when they are
     * identical; relative paths in {@code ignoredInActual} (a player's save file, say) are left out of
     * {@code actual}.
     */
    public static String difference(Path expected, Path actual, Set<String> ignoredInActual) throws IOException {
        if (!Files.isDirectory(actual)) {
            return actual + " is not a folder\n";
        }
        TreeMap<String, Path> a = list(expected, Set.of());
        TreeMap<String, Path> b = list(actual, ignoredInActual);
        StringBuilder diff = new StringBuilder();
        Set<String> missing = new TreeSet<>(a.keySet());
        missing.removeAll(b.keySet());
        Set<String> extra = new TreeSet<>(b.keySet());
        extra.removeAll(a.keySet());
        if (!missing.isEmpty()) {
            diff.append("missing: ").append(missing).append('\n');
        }
        if (!extra.isEmpty()) {
            diff.append("not expected: ").append(extra).append('\n');
        }
        for (var e : a.entrySet()) {
            Path other = b.get(e.getKey());
            if (other == null) {
                continue;
            }
            Path mine = e.getValue();
            if (Files.isDirectory(mine) != Files.isDirectory(other)) {
                diff.append("kind differs: ").append(e.getKey()).append('\n');
            } else if (!Files.isDirectory(mine)) {
                long size = Files.size(mine);
                long otherSize = Files.size(other);
                if (size != otherSize) {
                    diff.append("size differs: ").append(e.getKey()).append(" expected ").append(size).append(" got ")
                            .append(otherSize).append('\n');
                } else {
                    long at = Files.mismatch(mine, other);
                    if (at >= 0) {
                        diff.append("content differs: ").append(e.getKey()).append(" from byte ").append(at)
                                .append(" (chunk ").append(at / GameFixture.CHUNK).append(")\n");
                    }
                }
            }
        }
        return diff.toString();
    }

    public static String difference(Path expected, Path actual) throws IOException {
        return difference(expected, actual, Set.of());
    }

    private static TreeMap<String, Path> list(Path root, Set<String> ignored) throws IOException {
        TreeMap<String, Path> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!p.equals(root)) {
                    String rel = root.relativize(p).toString().replace('\\', '/');
                    if (!ignored.contains(rel)) {
                        all.put(rel, p);
                    }
                }
            }
        }
        return all;
    }
}
