package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/**
 * Swaps a complete staging folder in for the installed copy. In order: folders and empty files created,
 * the player's own files of the installed copy linked (or copied) over, {@code version.ini} renamed into
 * place last, then two renames: the installed folder parked in {@code .lanspread-tmp}, the staging folder
 * moved to the game's folder. When the second rename fails the parked copy is moved back, so the installed
 * copy is intact until the swap succeeds; it stays complete and served until then, since nothing here
 * writes into it.
 */
final class Installer {
    private static final Logger LOG = LoggerFactory.getLogger(Installer.class);

    /** A rename; tests replace it to fail a swap midway. */
    interface Mover {
        void move(Path from, Path to) throws IOException;

        Mover ATOMIC = (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private final Mover mover;

    Installer(Mover mover) {
        this.mover = mover;
    }

    /**
     * Fills in and finishes the staging folder: everything but the swap.
     *
     * @param previous the manifest the installed copy was installed with (its files are the game's, the
     *                 rest the player's); null when there is no installed copy
     */
    void complete(StagingFolder staging, GameManifest manifest, GameManifest previous) throws IOException {
        Path root = staging.root();
        for (Path dir : staging.directories()) {
            Files.createDirectories(dir);
        }
        for (StagedFile file : staging.files()) {
            file.close();
            if (file.changedSinceLinked()) {
                throw new IOException(file.entry().path() + " of " + manifest.gameId() + " was changed in the installed"
                        + " copy while the update downloaded (the update shares that file with it); download again");
            }
            if (!Files.isRegularFile(file.local(), LinkOption.NOFOLLOW_LINKS) || Files.size(file.local()) != file.entry().size()) {
                throw new IOException("the staged copy of " + file.entry().path() + " is missing or has the wrong size");
            }
        }
        if (previous != null && Files.isDirectory(staging.gameDir(), LinkOption.NOFOLLOW_LINKS)) {
            carryOverPlayerFiles(staging.gameDir(), root, previous, manifest);
        }
        Path part = root.resolve(StagingFolder.PART_NAME);
        if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
            mover.move(part, root.resolve(StagingFolder.VERSION_INI));
        }
        AtomicFiles.forceDirectory(root);
    }

    /** Parks the installed copy, moves staging in, and returns the parked copy (null if none) to delete. */
    Path swap(StagingFolder staging) throws IOException {
        Path gameDir = staging.gameDir();
        Path parked = staging.root().resolveSibling(TempFolders.parkedName(staging.root().getFileName().toString()));
        TempFolders.deleteTree(parked); // a leftover of an earlier swap of the same version
        boolean installed = Files.exists(gameDir, LinkOption.NOFOLLOW_LINKS);
        if (installed) {
            mover.move(gameDir, parked);
        }
        try {
            mover.move(staging.root(), gameDir);
        } catch (IOException | RuntimeException e) {
            if (installed) {
                try {
                    mover.move(parked, gameDir);
                } catch (IOException | RuntimeException back) {
                    LOG.error("could not move the installed copy back from {} to {}", parked, gameDir, back);
                    e.addSuppressed(back);
                }
            }
            throw new IOException("could not move the new copy into " + gameDir + ": " + e.getMessage()
                    + (installed ? "; the installed copy is left as it was" : ""), e);
        }
        AtomicFiles.forceDirectory(gameDir.getParent());
        AtomicFiles.forceDirectory(staging.root().getParent());
        return installed ? parked : null;
    }

    /**
     * Files of the installed copy that are neither the game's (in {@code previous}) nor in the new version
     * (saves, settings) go into the new copy: linked, so the installed copy keeps them until the swap.
     */
    private static void carryOverPlayerFiles(Path gameDir, Path root, GameManifest previous, GameManifest manifest)
            throws IOException {
        Set<String> known = new HashSet<>();
        for (GameManifest m : new GameManifest[] { previous, manifest }) {
            for (FileManifest file : m.files()) {
                known.add(file.path());
            }
        }
        Files.walkFileTree(gameDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String path = relative(dir);
                if (!path.isEmpty() && !known.contains(path)) {
                    Path target = root.resolve(path);
                    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                        LOG.warn("not keeping the player's folder {}: the new version has a file there", dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String path = relative(file);
                if (known.contains(path) || path.equals(StagingFolder.PART_NAME)) {
                    return FileVisitResult.CONTINUE;
                }
                Path target = root.resolve(path);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(target.getParent())) {
                    LOG.warn("not keeping the player's file {}: the new version has something in its place", file);
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.createLink(target, file);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(file, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
                LOG.info("keeping the player's file {} in the new version", path);
                return FileVisitResult.CONTINUE;
            }

            private String relative(Path p) {
                return gameDir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
            }
        });
    }
}
