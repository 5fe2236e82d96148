package io.lanspread.catalog.internal;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

import io.lanspread.api.game.GameFile;

/**
 * One entry of a game's tree with what identifies its content cheaply: size and modification time.
 * Directories carry neither (a directory's mtime moves whenever an entry is added, which the tree itself
 * shows), so two trees are equal exactly when no file was added, removed, resized or touched.
 *
 * @param path          relative path with {@code /} separators
 * @param modifiedNanos modification time in nanoseconds since the epoch (0 for a directory)
 */
record TreeEntry(String path, boolean directory, long size, long modifiedNanos) {

    static TreeEntry directory(String path) {
        return new TreeEntry(path, true, 0, 0);
    }

    static TreeEntry file(String path, BasicFileAttributes attrs) {
        return new TreeEntry(path, false, attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    /** Whether a regular file with these attributes still has this entry's size and mtime. */
    boolean matches(BasicFileAttributes attrs) {
        if (directory) {
            return attrs.isDirectory();
        }
        return attrs.isRegularFile() && attrs.size() == size
                && attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) == modifiedNanos;
    }

    GameFile toGameFile() {
        return new GameFile(path, size, directory);
    }
}
