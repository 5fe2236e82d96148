package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;

/**
 * Where one game version is written before it is swapped in: {@code <gamesDir>/.lanspread-tmp/<name>}, laid
 * out as the manifest says, except that the root {@code version.ini} (the library's completion sentinel)
 * stays a hidden part file until {@link Installer} renames it last.
 */
final class StagingFolder {
    static final String VERSION_INI = "version.ini";
    static final String PART_NAME = ".version.ini.lanspread-part";

    private final Path gameDir;
    private final Path root;
    private final List<Path> directories;
    /** Per manifest entry, in manifest order; null for a directory. */
    private final List<StagedFile> files;

    private StagingFolder(Path gameDir, Path root, List<Path> directories, List<StagedFile> files) {
        this.gameDir = gameDir;
        this.root = root;
        this.directories = directories;
        this.files = files;
    }

    /**
     * Checks every path of the manifest with {@link LocalLibrary#resolve} (the one place that validates
     * paths) and maps it into the staging folder, without touching the disk.
     *
     * @throws IllegalArgumentException when a path is unsafe, repeated, or the tree has no root
     *                                  {@code version.ini}
     */
    static StagingFolder plan(LocalLibrary library, GameManifest manifest) {
        String gameId = manifest.gameId();
        Path gameDir = gameDir(library, gameId);
        Path root = TempFolders.root(gameDir.getParent()).resolve(TempFolders.stagingName(gameId, manifest.version()));
        Set<String> filePaths = new HashSet<>();
        Set<String> seen = new HashSet<>();
        List<Path> directories = new ArrayList<>();
        List<StagedFile> files = new ArrayList<>();
        boolean hasSentinel = false;
        for (FileManifest entry : manifest.files()) {
            String path = entry.path();
            Path local = resolve(library, gameId, path);
            if (!local.startsWith(gameDir) || local.equals(gameDir)) {
                throw new IllegalArgumentException("unsafe path in the manifest of " + gameId + ": '" + path + "'");
            }
            if (!seen.add(path)) {
                throw new IllegalArgumentException("path listed twice in the manifest of " + gameId + ": '" + path + "'");
            }
            if (path.equals(PART_NAME)) {
                throw new IllegalArgumentException("reserved file name in the manifest of " + gameId + ": '" + path + "'");
            }
            Path staged = root.resolve(gameDir.relativize(local));
            if (entry.directory()) {
                directories.add(staged);
                files.add(null);
            } else {
                boolean sentinel = path.equals(VERSION_INI);
                hasSentinel |= sentinel;
                files.add(new StagedFile(entry, sentinel ? root.resolve(PART_NAME) : staged));
                filePaths.add(path);
            }
        }
        if (!hasSentinel) {
            throw new IllegalArgumentException("the manifest of " + gameId + " has no root " + VERSION_INI);
        }
        for (String path : seen) {
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                if (filePaths.contains(path.substring(0, slash))) {
                    throw new IllegalArgumentException("'" + path.substring(0, slash) + "' is listed as a file and as a folder");
                }
            }
        }
        return new StagingFolder(gameDir, root, List.copyOf(directories), files);
    }

    /** The folder a game is installed in, checked to be a plain, visible folder of the games folder. */
    static Path gameDir(LocalLibrary library, String gameId) {
        Path gameDir = resolve(library, gameId, VERSION_INI).getParent();
        Path home = library.gameDirectory().toAbsolutePath().normalize();
        if (gameDir == null || !home.equals(gameDir.toAbsolutePath().normalize().getParent())) {
            throw new IllegalArgumentException("game id '" + gameId + "' does not name a folder in " + home);
        }
        if (gameDir.getFileName().toString().startsWith(".") || gameId.contains("@")) {
            // hidden folders are never listed, .lanspread-tmp is ours, and '@' separates staging names
            throw new IllegalArgumentException("unsafe game id '" + gameId + "'");
        }
        return gameDir;
    }

    private static Path resolve(LocalLibrary library, String gameId, String path) {
        try {
            return library.resolve(gameId, path);
        } catch (IllegalArgumentException e) { // UnsafePathException among others
            throw new IllegalArgumentException("unsafe path '" + path + "' in game '" + gameId + "': " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    Path gameDir() {
        return gameDir;
    }

    List<Path> directories() {
        return directories;
    }

    /** The staged file of manifest entry {@code fileIndex} (null for a directory). */
    StagedFile file(int fileIndex) {
        return files.get(fileIndex);
    }

    List<StagedFile> files() {
        return files.stream().filter(f -> f != null).toList();
    }

    /**
     * Creates the folder and pre-sizes every file (sparse), keeping what is there already. A
     * {@code version.ini} that an interrupted install had renamed into place is turned back into the part
     * file, so the folder never looks complete before {@link Installer} says so.
     */
    void prepare() throws IOException {
        Path tempRoot = root.getParent();
        Files.createDirectories(tempRoot);
        if (!Files.isDirectory(tempRoot, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(tempRoot + " is not a plain folder");
        }
        Files.createDirectories(root);
        Path sentinel = root.resolve(VERSION_INI);
        Path part = root.resolve(PART_NAME);
        if (Files.isRegularFile(sentinel, LinkOption.NOFOLLOW_LINKS) && !Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(sentinel, part, StandardCopyOption.ATOMIC_MOVE);
        }
        for (Path dir : directories) {
            Files.createDirectories(dir);
        }
        for (StagedFile file : files()) {
            file.preallocate();
        }
    }

    void close() {
        files().forEach(StagedFile::close);
    }
}
