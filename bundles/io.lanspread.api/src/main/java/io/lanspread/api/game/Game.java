package io.lanspread.api.game;

/**
 * A game as a library lists it.
 *
 * @param id      the folder name under the game directory, unique per title
 * @param name    display name ({@code name=} in {@code version.ini}, else the id)
 * @param version the version from {@code version.ini}
 * @param size    total size of the game's files in bytes
 */
public record Game(String id, String name, String version, long size) {
}
