package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.lanspread.api.game.UnsafePathException;

/**
 * Turns a game id and a relative path (as peers send them) into a path inside the game's folder, or
 * refuses. Checks are lexical first, then against the file system: the deepest part of the path that
 * already exists must really lie inside the game's folder, so a symbolic link inside a game (or a game
 * folder that is itself a link) cannot lead a read or a write elsewhere. This narrows but cannot close
 * the race with someone replacing a folder by a link right after the check.
 */
final class SafePaths {

    private SafePaths() {
    }

    static void checkGameId(String gameId) {
        if (gameId == null || gameId.isEmpty()) {
            throw new UnsafePathException("empty game id");
        }
        if (gameId.equals(".") || gameId.equals("..")) {
            throw new UnsafePathException("game id is a relative folder: " + gameId);
        }
        for (int i = 0; i < gameId.length(); i++) {
            char c = gameId.charAt(i);
            if (c == '/' || c == '\\' || c == '\0' || c == ':') {
                throw new UnsafePathException("game id contains a forbidden character: " + printable(gameId));
            }
        }
    }

    static void checkRelativePath(String relativePath) {
        if (relativePath == null || relativePath.isEmpty()) {
            throw new UnsafePathException("empty path");
        }
        if (relativePath.startsWith("/")) {
            throw new UnsafePathException("absolute path: " + printable(relativePath));
        }
        if (relativePath.indexOf('\\') >= 0 || relativePath.indexOf('\0') >= 0) {
            throw new UnsafePathException("path contains a backslash or NUL: " + printable(relativePath));
        }
        if (relativePath.length() >= 2 && relativePath.charAt(1) == ':' && isAsciiLetter(relativePath.charAt(0))) {
            throw new UnsafePathException("path has a drive prefix: " + printable(relativePath));
        }
        for (String segment : relativePath.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new UnsafePathException("path has an empty segment: " + printable(relativePath));
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new UnsafePathException("path has a relative segment: " + printable(relativePath));
            }
        }
    }

    /**
     * @param gamesDir absolute, normalized game directory
     */
    static Path resolve(Path gamesDir, String gameId, String relativePath) {
        checkGameId(gameId);
        checkRelativePath(relativePath);
        Path gameRoot = gamesDir.resolve(gameId).normalize();
        Path target;
        try {
            target = gameRoot.resolve(relativePath).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new UnsafePathException("invalid path: " + printable(relativePath));
        }
        if (!gameRoot.getParent().equals(gamesDir) || !target.startsWith(gameRoot) || target.equals(gameRoot)) {
            throw new UnsafePathException("path leaves the game folder: " + printable(relativePath));
        }
        checkRealLocation(gamesDir, gameRoot, target);
        return target;
    }

    private static void checkRealLocation(Path gamesDir, Path gameRoot, Path target) {
        Path existing = target;
        while (existing != null && existing.startsWith(gamesDir) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.startsWith(gameRoot)) {
            return; // nothing of the game exists yet: no link can be on the way
        }
        try {
            Path realRoot = gamesDir.toRealPath().resolve(gameRoot.getFileName());
            // toRealPath follows every link; a dangling link fails here and is refused as well
            if (!existing.toRealPath().startsWith(realRoot)) {
                throw new UnsafePathException("path leads outside the game folder through a link: " + target);
            }
        } catch (IOException e) {
            throw new UnsafePathException("cannot verify where " + target + " leads: " + e);
        }
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
