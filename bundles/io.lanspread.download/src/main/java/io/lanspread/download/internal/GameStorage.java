package io.lanspread.download.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * The on-disk side of one download. Everything is written into a hidden staging folder,
 * {@code <gamesDir>/.lanspread-tmp/<gameId>-<downloadId>/}, so an installed copy of the game is neither
 * touched nor unlisted while the download runs: this peer keeps serving it intact. The root
 * {@code version.ini} (the library's completion sentinel) is written to a hidden part file and renamed into
 * place inside the staging folder last. Then two atomic renames swap the new copy in: the installed folder
 * (if any) to {@code .lanspread-tmp/<gameId>-<downloadId>-old}, the staging folder to
 * {@code <gamesDir>/<gameId>}; the old copy is deleted afterwards. Abandoning removes the staging folder and
 * nothing else.
 */
final class GameStorage {
    private static final Logger LOG = LoggerFactory.getLogger(GameStorage.class);

    static final String VERSION_INI = "version.ini";
    static final String PART_NAME = ".version.ini.lanspread-part";

    private final String gameId;
    private final Path gameDir;
    private final Path tempRoot;
    private final Path staging;
    private final Path oldCopy;
    private final List<Path> directories;
    private final List<FileTarget> files;
    private final long totalBytes;
    /** Set once the staging folder exists (it is then ours to delete). */
    private volatile boolean stagingCreated;
    /** Set once the swap parked an installed copy at {@link #oldCopy}. */
    private volatile boolean oldParked;

    private GameStorage(String gameId, Path gameDir, Path staging, List<Path> directories, List<FileTarget> files) {
        this.gameId = gameId;
        this.gameDir = gameDir;
        this.tempRoot = staging.getParent();
        this.staging = staging;
        this.oldCopy = tempRoot.resolve(staging.getFileName() + TempFolders.OLD_SUFFIX);
        this.directories = directories;
        this.files = files;
        this.totalBytes = files.stream().mapToLong(FileTarget::size).sum();
    }

    /**
     * Checks every path of the request with {@link LocalLibrary#resolve} (the one place that validates
     * paths) and maps it into the download's staging folder, without touching the disk.
     *
     * @throws IllegalArgumentException when a path is unsafe, repeated, or the tree has no root
     *                                  {@code version.ini}
     */
    static GameStorage plan(LocalLibrary library, String gameId, String downloadId, List<GameFile> entries) {
        Path sentinel = resolve(library, gameId, VERSION_INI);
        Path gameDir = sentinel.getParent();
        Path home = library.gameDirectory().toAbsolutePath().normalize();
        if (gameDir == null || !home.equals(gameDir.toAbsolutePath().normalize().getParent())) {
            throw new IllegalArgumentException("game id '" + gameId + "' does not name a folder in " + home);
        }
        if (gameDir.getFileName().toString().startsWith(".")) {
            // hidden folders are never listed, and .lanspread-tmp is ours
            throw new IllegalArgumentException("unsafe game id '" + gameId + "': a hidden folder is never a game");
        }
        Path tempRoot = TempFolders.root(gameDir.getParent());
        Path staging = tempRoot.resolve(gameDir.getFileName() + "-" + downloadId);
        if (!tempRoot.equals(staging.getParent())) {
            throw new IllegalArgumentException("download id '" + downloadId + "' does not name a folder");
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
            Path staged = staging.resolve(gameDir.relativize(local));
            if (!seen.add(path)) {
                throw new IllegalArgumentException("path listed twice: '" + path + "'");
            }
            if (path.equals(PART_NAME)) {
                throw new IllegalArgumentException("reserved file name in download request: '" + path + "'");
            }
            if (entry.size() < 0) {
                throw new IllegalArgumentException("negative size for '" + path + "'");
            }
            if (entry.directory()) {
                directories.add(staged);
            } else if (path.equals(VERSION_INI)) {
                hasSentinel = true;
                files.add(new FileTarget(path, staging.resolve(PART_NAME), entry.size()));
                filePaths.add(path);
            } else {
                files.add(new FileTarget(path, staged, entry.size()));
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
        return new GameStorage(gameId, gameDir, staging, directories, List.copyOf(files));
    }

    private static Path resolve(LocalLibrary library, String gameId, String path) {
        try {
            return library.resolve(gameId, path);
        } catch (IllegalArgumentException e) { // UnsafePathException among others
            throw new IllegalArgumentException("unsafe path in download request: '" + path + "' of game '" + gameId
                    + "': " + e.getMessage(), e);
        }
    }

    /** Where the game is installed once the download finishes. */
    Path gameDir() {
        return gameDir;
    }

    /** Where the download writes meanwhile. */
    Path stagingDir() {
        return staging;
    }

    List<FileTarget> files() {
        return files;
    }

    /**
     * Checks free space for a whole new copy, creates the staging folder, its folders and pre-sizes every
     * file. Stops early (leaving cleanup to the caller) once {@code aborted} turns true.
     */
    void prepare(BooleanSupplier aborted) throws IOException {
        checkFreeSpace();
        Files.createDirectories(tempRoot);
        if (!Files.isDirectory(tempRoot, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(tempRoot + " is not a plain folder");
        }
        Files.createDirectory(staging);
        stagingCreated = true;
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

    /** The staging folder needs the full size: an installed copy keeps its space until the swap. */
    private void checkFreeSpace() throws IOException {
        Path existing = tempRoot;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("no existing folder above " + tempRoot);
        }
        FileStore store = Files.getFileStore(existing);
        long usable = store.getUsableSpace();
        if (totalBytes > usable) {
            boolean installed = Files.exists(gameDir, LinkOption.NOFOLLOW_LINKS);
            throw new IOException("not enough disk space: need " + Sizes.bytes(totalBytes) + " for a complete copy of "
                    + gameId + (installed ? " (the new version is downloaded beside the installed one, which keeps"
                            + " its space until the new copy is complete)" : "")
                    + ", have " + Sizes.bytes(usable) + " on " + store);
        }
    }

    /**
     * After every chunk is written and every file completed: checks sizes, moves {@code version.ini} into
     * place inside the staging folder, then swaps the staging folder in. When this throws, the installed
     * copy (if any) is where it was and the staging folder is left for {@link #abandon}.
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
        Files.move(sentinel.local(), staging.resolve(VERSION_INI), StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(staging);
        swapIn();
    }

    private void swapIn() throws IOException {
        boolean parked = false;
        if (Files.exists(gameDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(gameDir, oldCopy, StandardCopyOption.ATOMIC_MOVE);
            parked = true;
        }
        try {
            Files.move(staging, gameDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (parked) {
                try {
                    Files.move(oldCopy, gameDir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException back) {
                    LOG.error("could not move the installed copy of {} back from {}", gameId, oldCopy, back);
                    e.addSuppressed(back);
                }
            }
            throw e;
        }
        oldParked = parked;
        forceDirectory(gameDir.getParent());
        forceDirectory(tempRoot);
    }

    /** After a successful swap: deletes the replaced copy (hidden, so never listed); logs failures. */
    void deleteOldCopy() {
        if (oldParked) {
            TempFolders.deleteQuietly(oldCopy);
        }
    }

    /**
     * Closes every file and deletes the staging folder; an installed copy is never touched. Must not run
     * while {@link #prepare} does.
     */
    void abandon() {
        files.forEach(FileTarget::closeQuietly);
        if (!stagingCreated) {
            return; // never prepared: nothing was written
        }
        try {
            TempFolders.deleteTree(staging); // nothing there once the swap went through
        } catch (IOException e) {
            LOG.warn("could not clean up {}", staging, e);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("could not fsync folder {}", dir, e); // not supported everywhere; the data is already synced
        }
    }
}
