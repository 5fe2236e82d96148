package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real folder for the request handler to serve from: a games folder with two games (one file larger than a
 * manifest chunk, an empty file, a folder, links inside and out), a folder without {@code version.ini}, a game
 * folder that is a link to elsewhere, and files outside the games folder (beside it, in a sibling folder whose
 * name starts with {@code games}, and behind those links), which must never be served, nor even read: their
 * access time is set to a mark that the file system replaces at the first read ({@link #readOutside}).
 */
final class HostileLibraryFolder implements AutoCloseable {

    final Path root;
    final Path games;
    final Path state;
    private final Path realGames;
    private final List<Path> outside;

    /** The access time of a file outside the games folder that nobody has read since it was set. */
    private static final FileTime UNREAD = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

    HostileLibraryFolder() throws IOException {
        root = Files.createTempDirectory("lanspread-fuzz-library").toRealPath();
        games = Files.createDirectories(root.resolve("games"));
        state = Files.createDirectories(root.resolve("state"));
        realGames = games.toRealPath();

        byte[] secret = "outside the games folder: must never be served\n".repeat(64).getBytes(StandardCharsets.US_ASCII);
        Files.write(root.resolve("secret.txt"), secret);
        Files.write(Files.createDirectories(root.resolve("outside")).resolve("inner.bin"), secret);
        Files.write(Files.createDirectories(root.resolve("games-evil/alpha")).resolve("readme.txt"), secret);
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("version.ini"), "version=6.6\n");
        Files.write(elsewhere.resolve("data.bin"), secret);

        Path alpha = Files.createDirectories(games.resolve("alpha"));
        Files.writeString(alpha.resolve("version.ini"), "[game]\nname=Alpha\nversion=1.0\n");
        Files.writeString(alpha.resolve("readme.txt"), "alpha readme\n");
        Path data = Files.createDirectories(alpha.resolve("data"));
        Files.write(data.resolve("big.bin"), pattern(700 * 1024 + 17));
        Files.write(data.resolve("empty.bin"), new byte[0]);
        Files.createDirectories(alpha.resolve("data/sub dir"));
        Files.writeString(alpha.resolve("data/sub dir/ünïcødé.txt"), "ünïcødé\n");
        Files.createSymbolicLink(alpha.resolve("leak"), Path.of("../../secret.txt"));
        Files.createSymbolicLink(alpha.resolve("leakdir"), Path.of("../../outside"));
        Files.createSymbolicLink(alpha.resolve("absolute"), root.resolve("secret.txt"));
        Files.createSymbolicLink(alpha.resolve("sibling"), Path.of("../../games-evil/alpha"));
        Files.createSymbolicLink(alpha.resolve("dangling"), Path.of("nothing-here"));
        Files.createSymbolicLink(alpha.resolve("readme-link"), Path.of("readme.txt"));

        Path beta = Files.createDirectories(games.resolve("beta"));
        Files.writeString(beta.resolve("version.ini"), "2.5\n");
        Files.writeString(beta.resolve("x.txt"), "beta x\n");
        Files.createSymbolicLink(beta.resolve("alpha-readme"), Path.of("../alpha/readme.txt"));

        Files.writeString(Files.createDirectories(games.resolve("notagame")).resolve("file.txt"), "no version.ini\n");
        Files.createSymbolicLink(games.resolve("linked"), elsewhere);
        outside = List.of(root.resolve("secret.txt"), root.resolve("outside/inner.bin"),
                root.resolve("games-evil/alpha/readme.txt"), elsewhere.resolve("version.ini"),
                elsewhere.resolve("data.bin"));
        checkReadsAreSeen();
    }

    /** From now on, a read of any file outside the games folder shows in {@link #readOutside}. */
    void markOutsideUnread() throws IOException {
        for (Path file : outside) {
            Files.getFileAttributeView(file, BasicFileAttributeView.class).setTimes(null, UNREAD, null);
        }
    }

    /** A file outside the games folder read since {@link #markOutsideUnread}, if any. */
    Optional<Path> readOutside() throws IOException {
        for (Path file : outside) {
            if (!UNREAD.equals(Files.readAttributes(file, BasicFileAttributes.class).lastAccessTime())) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** The file system must record reads (relatime does, for a file whose access time is older than its change). */
    private void checkReadsAreSeen() throws IOException {
        markOutsideUnread();
        Files.readAllBytes(outside.get(0));
        if (readOutside().isEmpty()) {
            throw new IllegalStateException("the file system of " + root + " records no access times (noatime), so "
                    + "a read outside the games folder could not be seen");
        }
        markOutsideUnread();
    }

    /**
     * The file a game id and path name, if it really lies inside that game's own folder in the games folder
     * (every link followed, the game folder itself no link): the only files whose bytes may be served.
     */
    Optional<Path> servable(String gameId, String path) {
        try {
            Path gameRoot = realGames.resolve(gameId).normalize();
            if (!realGames.equals(gameRoot.getParent()) || Files.isSymbolicLink(gameRoot)) {
                return Optional.empty();
            }
            Path file = gameRoot.resolve(path).toRealPath();
            return file.startsWith(gameRoot) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(file) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[i] = (byte) x;
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
