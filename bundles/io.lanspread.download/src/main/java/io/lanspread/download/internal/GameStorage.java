package io.lanspread.download.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.LocalLibrary;

/**
 * The on-disk side of one download: the game's folder, its directories and files. The root
 * {@code version.ini} is the library's completion sentinel, so it is written to a hidden part file and
 * renamed into place only when everything else is complete; an existing one is parked aside first.
 */
final class GameStorage {
    private static final Logger LOG = LoggerFactory.getLogger(GameStorage.class);

    static final String VERSION_INI = "version.ini";
    static final String PART_NAME = ".version.ini.lanspread-part";
    static final String OLD_NAME = ".version.ini.lanspread-old";

    private final Path gameDir;
    private final List<Path> directories;
    private final List<FileTarget> files;
    /** Whether the game folder was there before this download; null until {@link #prepare} looked. */
    private volatile Boolean existedBefore;

    private GameStorage(Path gameDir, List<Path> directories, List<FileTarget> files) {
        this.gameDir = gameDir;
        this.directories = directories;
        this.files = files;
    }

    /**
     * Resolves and checks every path of the request without touching the disk.
     *
     * @throws IllegalArgumentException when a path is unsafe, repeated, or the tree has no root
     *                                  {@code version.ini}
     */
    static GameStorage plan(LocalLibrary library, String gameId, List<GameFile> entries) {
        Path sentinel = resolve(library, gameId, VERSION_INI);
        Path gameDir = sentinel.getParent();
        Path home = library.gameDirectory().toAbsolutePath().normalize();
        if (gameDir == null || !home.equals(gameDir.toAbsolutePath().normalize().getParent())) {
            throw new IllegalArgumentException("game id '" + gameId + "' does not name a folder in " + home);
        }
        Set<String> seen = new HashSet<>();
        Set<String> filePaths = new HashSet<>();
        List<Path> directories = new ArrayList<>();
        List<FileTarget> files = new ArrayList<>();
        boolean hasSentinel = false;
        for (GameFile entry : entries) {
            String path = entry.path();
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("empty path in the file list of " + gameId);
            }
            Path local = resolve(library, gameId, path);
            if (!local.startsWith(gameDir) || local.equals(gameDir)) {
                throw new IllegalArgumentException("unsafe path in download request: '" + path + "'");
            }
            if (!seen.add(path)) {
                throw new IllegalArgumentException("path listed twice: '" + path + "'");
            }
            if (path.equals(PART_NAME) || path.equals(OLD_NAME)) {
                throw new IllegalArgumentException("reserved file name in download request: '" + path + "'");
            }
            if (entry.size() < 0) {
                throw new IllegalArgumentException("negative size for '" + path + "'");
            }
            if (entry.directory()) {
                directories.add(local);
            } else if (path.equals(VERSION_INI)) {
                hasSentinel = true;
                files.add(new FileTarget(path, gameDir.resolve(PART_NAME), entry.size()));
                filePaths.add(path);
            } else {
                files.add(new FileTarget(path, local, entry.size()));
                filePaths.add(path);
            }
        }
        if (!hasSentinel) {
            throw new IllegalArgumentException("the file list of " + gameId + " has no root " + VERSION_INI);
        }
        for (String path : seen) {
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                if (filePaths.contains(path.substring(0, slash))) {
                    throw new IllegalArgumentException("'" + path.substring(0, slash) + "' is listed as a file and as a folder");
                }
            }
        }
        return new GameStorage(gameDir, directories, List.copyOf(files));
    }

    private static Path resolve(LocalLibrary library, String gameId, String path) {
        try {
            return library.resolve(gameId, path);
        } catch (IllegalArgumentException e) { // UnsafePathException among others
            throw new IllegalArgumentException("unsafe path in download request: '" + path + "' of game '" + gameId
                    + "': " + e.getMessage(), e);
        }
    }

    Path gameDir() {
        return gameDir;
    }

    List<FileTarget> files() {
        return files;
    }

    /**
     * Checks free space, parks an old {@code version.ini}, creates the folders and pre-sizes every file.
     * Stops early (leaving cleanup to the caller) once {@code aborted} turns true.
     */
    void prepare(BooleanSupplier aborted) throws IOException {
        existedBefore = Files.exists(gameDir, LinkOption.NOFOLLOW_LINKS);
        checkFreeSpace();
        Files.createDirectories(gameDir);
        Path sentinel = gameDir.resolve(VERSION_INI);
        if (Files.exists(sentinel, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(sentinel, gameDir.resolve(OLD_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        for (Path dir : directories) {
            if (aborted.getAsBoolean()) {
                return;
            }
            Files.createDirectories(dir);
        }
        for (FileTarget file : files) {
            if (aborted.getAsBoolean()) {
                return;
            }
            Path local = file.local();
            Files.createDirectories(local.getParent());
            if (Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot create file " + file.path() + ": a folder is in the way");
            }
            try (RandomAccessFile raf = new RandomAccessFile(local.toFile(), "rw")) {
                raf.setLength(file.size());
            } catch (IOException e) {
                throw new IOException("cannot create " + file.path() + " (" + Sizes.bytes(file.size()) + "): "
                        + e.getMessage(), e);
            }
        }
    }

    private void checkFreeSpace() throws IOException {
        long needed = 0;
        for (FileTarget file : files) {
            long existing = 0;
            if (!file.path().equals(VERSION_INI) && Files.isRegularFile(file.local(), LinkOption.NOFOLLOW_LINKS)) {
                existing = Files.size(file.local());
            }
            needed += Math.max(0, file.size() - existing);
        }
        Path existing = gameDir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("no existing folder above " + gameDir);
        }
        FileStore store = Files.getFileStore(existing);
        long usable = store.getUsableSpace();
        if (needed > usable) {
            throw new IOException("not enough disk space: need " + Sizes.bytes(needed) + ", have "
                    + Sizes.bytes(usable) + " on " + store);
        }
    }

    /**
     * After every chunk is written and every file completed: checks sizes, moves {@code version.ini} into
     * place atomically and drops the parked old one.
     */
    void finish() throws IOException {
        FileTarget sentinel = null;
        for (FileTarget file : files) {
            long actual = Files.size(file.local());
            if (actual != file.size()) {
                throw new IOException("size mismatch for " + file.path() + ": expected " + file.size()
                        + " bytes, found " + actual);
            }
            if (file.path().equals(VERSION_INI)) {
                sentinel = file;
            }
        }
        if (sentinel == null) {
            throw new IllegalStateException("no version.ini target");
        }
        Files.move(sentinel.local(), gameDir.resolve(VERSION_INI), StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(gameDir.resolve(OLD_NAME));
        forceDirectory(gameDir);
    }

    /**
     * Closes every file; removes the whole folder when this download created it, else only the part file.
     * Must not run while {@link #prepare} does.
     */
    void abandon() {
        files.forEach(FileTarget::closeQuietly);
        Boolean existed = existedBefore;
        if (existed == null) {
            return; // never prepared: nothing was written
        }
        try {
            if (existed) {
                Files.deleteIfExists(gameDir.resolve(PART_NAME));
            } else {
                deleteTree(gameDir);
            }
        } catch (IOException e) {
            LOG.warn("could not clean up {}", gameDir, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
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

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("could not fsync folder {}", dir, e); // not supported everywhere; the data is already synced
        }
    }
}
