package io.lanspread.api.game;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The games in this peer's game directory. A game is a direct subfolder holding a {@code version.ini};
 * a folder without one (still being copied or downloaded) is not a game and is never listed.
 */
@ProviderType
public interface LocalLibrary {

    /** The game directory currently served. */
    Path gameDirectory();

    /** The complete games, sorted by id. */
    List<Game> games();

    Optional<Game> game(String gameId);

    /**
     * The whole file tree of a game, directories and empty files included, sorted by path.
     *
     * @throws GameNotFoundException when the game is not in the library
     */
    List<GameFile> files(String gameId) throws IOException;

    /**
     * Resolves a path inside a game's folder, whether or not it exists yet.
     *
     * @throws UnsafePathException when the id or path is absolute, contains {@code ..}, a NUL or a
     *                             backslash, or otherwise resolves outside the game's folder
     */
    Path resolve(String gameId, String relativePath);

    /**
     * The game's manifest (file tree with chunk hashes), from this peer's cache; present exactly when the
     * game is listed. Hashing runs in the background: a game is listed only once its files have been quiet
     * for the configured time and its manifest is complete, and it is withdrawn while its files change.
     */
    Optional<GameManifest> manifest(String gameId);

    /**
     * Whether a listed game's file still has the size and modification time it had when its manifest
     * entry was computed. A server asks before and after reading a chunk, so it never serves bytes its
     * manifest does not describe. False for an unknown game or path.
     */
    boolean isUnchanged(String gameId, String path);

    /**
     * Takes a manifest whose bytes the caller verified itself (a download that checked every chunk of a game
     * it is about to install) as the hashes of the files in {@code folder}, which is then renamed to become
     * the game's folder (a rename keeps sizes and modification times), so the library does not read the game
     * again. Files are stamped with their size and modification time now, on the caller's thread; only those
     * whose size matches the manifest are taken, and a file that changes later is hashed as usual. A library
     * that keeps no hashes ignores it.
     */
    default void adopt(GameManifest verified, Path folder) {
        // nothing cached, nothing to adopt
    }

    /** A number that grows whenever the set of games or a game's version changes. */
    long revision();

    /** Scans the game directory again now (after a download finished, for example). */
    void rescan();
}
