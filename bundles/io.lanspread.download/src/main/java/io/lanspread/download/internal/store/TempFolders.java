package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden folder {@code <gamesDir>/.lanspread-tmp} that downloads stage into: the names in it, the
 * cleanup of what a previous run left there, and deleting a tree. The library never lists folders that start
 * with '.'. A staging folder is {@code <gameId>@<version key>}; an installed copy parked aside during a swap
 * is {@code <gameId>@<version key>@old}.
 */
public final class TempFolders {
    private static final Logger LOG = LoggerFactory.getLogger(TempFolders.class);

    public static final String NAME = ".lanspread-tmp";
    static final String OLD_SUFFIX = "@old";
    private static final Pattern PLAIN_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    /** Parked copies of this version, and of the one before it ({@code <gameId>-<uuid>-old}). */
    private static final Pattern PARKED = Pattern.compile("(.+)@[^@]+" + Pattern.quote(OLD_SUFFIX));
    private static final Pattern LEGACY_PARKED = Pattern
            .compile("(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-old");

    private TempFolders() {
    }

    public static Path root(Path gamesDir) {
        return gamesDir.resolve(NAME);
    }

    /**
     * The stable staging name of a game's version: a download restarted on the same version finds its files
     * again. Versions that are not plain names are replaced by a hash of them.
     */
    static String stagingName(String gameId, String version) {
        String key = PLAIN_VERSION.matcher(version).matches() ? version
                : "v" + HexFormat.of().formatHex(Hashes.sha256(java.nio.ByteBuffer.wrap(
                        version.getBytes(StandardCharsets.UTF_8)))).substring(0, 24);
        return gameId + "@" + key;
    }

    static String parkedName(String stagingName) {
        return stagingName + OLD_SUFFIX;
    }

    /**
     * Cleans up what a previous run left: an installed copy that a crash left parked aside (its game folder
     * missing, between the two renames of a swap) is moved back; every other entry whose name is not in
     * {@code keep} (the staging folders of journals) is deleted. Runs before any download stages there.
     */
    static void cleanLeftovers(Path gamesDir, Set<String> keep) {
        Path root = root(gamesDir);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return; // absent, or something we did not create: leave it alone
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (keep.contains(name) || restoreParkedCopy(gamesDir, entry)) {
                    continue;
                }
                LOG.info("deleting {}, left by an earlier run", entry);
                deleteQuietly(entry);
            }
        } catch (IOException e) {
            LOG.warn("cannot list leftovers in {}: {}", root, e.toString());
        }
    }

    private static boolean restoreParkedCopy(Path gamesDir, Path entry) {
        String name = entry.getFileName().toString();
        Matcher m = PARKED.matcher(name);
        if (!m.matches()) {
            m = LEGACY_PARKED.matcher(name);
            if (!m.matches()) {
                return false;
            }
        }
        if (m.group(1).startsWith(".") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path gameDir = gamesDir.resolve(m.group(1));
        if (!gamesDir.equals(gameDir.getParent()) || Files.exists(gameDir, LinkOption.NOFOLLOW_LINKS)) {
            return false; // the swap went through: this is the old version, to be deleted
        }
        try {
            Files.move(entry, gameDir, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("restored {} from {}: a previous run stopped in the middle of replacing it", gameDir, entry);
        } catch (IOException e) {
            LOG.error("cannot restore {} from {}; leaving it there", gameDir, entry, e);
        }
        return true; // never delete the only copy of a game
    }

    /** Deletes a file or a folder with everything in it (links are removed, never followed); logs failures. */
    static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", path, e.toString());
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException notEmpty) {
                    throw new IOException("could not delete " + dir + ": something else is writing into it", notEmpty);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
