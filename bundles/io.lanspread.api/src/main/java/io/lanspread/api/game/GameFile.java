package io.lanspread.api.game;

/**
 * One entry of a game's file tree.
 *
 * @param path      path relative to the game's folder, with {@code /} separators, never starting with
 *                  {@code /} and never containing {@code ..}
 * @param size      size in bytes (0 for a directory)
 * @param directory true for a directory; directories are listed so that empty ones survive a download
 */
public record GameFile(String path, long size, boolean directory) {
}
