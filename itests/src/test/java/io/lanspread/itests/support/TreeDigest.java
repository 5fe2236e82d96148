package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder tree as relative path -> {@code "dir"} or {@code "<size> <sha-256>"}: two trees are
 * byte-identical when their digests are equal. Cheaper than {@link GameFixture#snapshot} for big games
 * (the bytes are streamed, never held).
 */
public final class TreeDigest {

    public static final String DIR = "dir";

    private TreeDigest() {
    }

    /** The digest of every file and folder below {@code root}. */
    public static TreeMap<String, String> of(Path root) throws IOException {
        return of(root, Set.of());
    }

    /** The digest of every file and folder below {@code root} except the relative paths in {@code excluded}. */
    public static TreeMap<String, String> of(Path root, Set<String> excluded) throws IOException {
        TreeMap<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (excluded.contains(rel)) {
                    continue;
                }
                tree.put(rel, Files.isDirectory(p) ? DIR : entry(Files.size(p), sha256(p)));
            }
        }
        return tree;
    }

    /** The entry of a file of {@code size} bytes with the given SHA-256 (hex). */
    public static String entry(long size, String sha256) {
        return size + " " + sha256;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel in = FileChannel.open(file)) {
            while (in.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A readable description of how {@code actual} differs from {@code expected}, or empty when equal. */
    public static String difference(Map<String, String> expected, Map<String, String> actual) {
        StringBuilder diff = new StringBuilder();
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty()) {
            diff.append("missing: ").append(missing).append('\n');
        }
        if (!extra.isEmpty()) {
            diff.append("not expected: ").append(extra).append('\n');
        }
        for (var e : expected.entrySet()) {
            String other = actual.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                diff.append("differs: ").append(e.getKey()).append(" expected ").append(e.getValue()).append(" got ")
                        .append(other).append('\n');
            }
        }
        return diff.toString();
    }
}
