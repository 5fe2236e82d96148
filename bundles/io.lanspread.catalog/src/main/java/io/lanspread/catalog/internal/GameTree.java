package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Walks a game's folder. Symbolic links are neither followed nor listed: a link can point outside the
 * game's folder (or the game directory), and serving its target would hand out files the owner never
 * shared; a download would also have no way to recreate it faithfully. Other special files (sockets,
 * fifos, devices) are skipped as well. Entries that vanish during the walk are skipped.
 */
final class GameTree {

    private static final Logger LOG = LoggerFactory.getLogger(GameTree.class);

    private GameTree() {
    }

    /** Every directory (below the root) and regular file, in walk order. */
    static void walk(Path root, Consumer<TreeEntry> sink) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                checkCancelled();
                if (!dir.equals(root)) {
                    sink.accept(TreeEntry.directory(relative(root, dir)));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                checkCancelled();
                if (attrs.isRegularFile()) {
                    sink.accept(TreeEntry.file(relative(root, file), attrs));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (file.equals(root)) {
                    throw e;
                }
                if (!(e instanceof NoSuchFileException)) {
                    LOG.warn("skipping unreadable entry {}: {}", file, e.toString());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                if (e != null) {
                    LOG.warn("listing of {} is incomplete: {}", dir, e.toString());
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The whole tree with sizes and modification times, sorted by path. */
    static List<TreeEntry> entries(Path root) throws IOException {
        List<TreeEntry> entries = new ArrayList<>();
        walk(root, entries::add);
        entries.sort(Comparator.comparing(TreeEntry::path));
        return List.copyOf(entries);
    }

    private static String relative(Path root, Path path) {
        Path rel = root.relativize(path);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        return sb.toString();
    }

    /** Lets deactivation stop a long walk: the scanner thread is interrupted by shutdownNow(). */
    private static void checkCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("walk interrupted");
        }
    }
}
