package io.lanspread.download.internal;

import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden folder {@code <gamesDir>/.lanspread-tmp} that downloads stage into: its names, the cleanup of
 * what a previous run left there, and deleting a tree. The library never lists folders starting with '.'.
 */
final class TempFolders {
    private static final Logger LOG = LoggerFactory.getLogger(TempFolders.class);

    static final String NAME = ".lanspread-tmp";
    static final String OLD_SUFFIX = "-old";
    /** {@code <gameId>-<downloadId>-old}; download ids are UUIDs. */
    private static final Pattern OLD_COPY = Pattern.compile("(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
            + Pattern.quote(OLD_SUFFIX));

    private TempFolders() {
    }

    static Path root(Path gamesDir) {
        return gamesDir.resolve(NAME);
    }

    /**
     * What a previous run left in the temp folder, to be deleted. Cheap, so it runs at activation before any
     * download can stage there. An installed copy that a crash left parked aside (its game folder missing,
     * between the two renames of a swap) is moved back instead of being returned.
     */
    static List<Path> leftovers(Path gamesDir) {
        Path root = root(gamesDir);
        List<Path> leftovers = new ArrayList<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return leftovers; // absent, or something we did not create: leave it alone
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (!restoreParkedCopy(gamesDir, entry)) {
                    leftovers.add(entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list leftovers in {}: {}", root, e.toString());
        }
        return leftovers;
    }

    private static boolean restoreParkedCopy(Path gamesDir, Path entry) {
        Matcher m = OLD_COPY.matcher(entry.getFileName().toString());
        if (!m.matches() || m.group(1).startsWith(".") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path gameDir = gamesDir.resolve(m.group(1));
        if (!gameDir.getParent().equals(gamesDir) || Files.exists(gameDir, LinkOption.NOFOLLOW_LINKS)) {
            return false; // the swap went through: this is the old version, to be deleted
        }
        try {
            Files.move(entry, gameDir, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("restored {} from {}: a previous run stopped in the middle of replacing it", gameDir, entry);
            return true;
        } catch (IOException e) {
            LOG.error("cannot restore {} from {}; leaving it there", gameDir, entry, e);
            return true; // never delete the only copy of a game
        }
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
