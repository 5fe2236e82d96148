package io.lanspread.transport.quic.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;

/**
 * Finds a file in a game's current manifest by path without scanning the file list on every chunk request:
 * the path map of the last manifest instance the library returned is kept per game and rebuilt when the
 * library hands out another instance.
 */
final class ManifestIndex {

    private record Indexed(GameManifest manifest, Map<String, FileManifest> byPath) {
    }

    private final LocalLibrary library;
    private final Map<String, Indexed> games = new ConcurrentHashMap<>();

    ManifestIndex(LocalLibrary library) {
        this.library = library;
    }

    /** The game's current manifest, empty when the library has none (the game is not listed). */
    Optional<GameManifest> manifest(String gameId) {
        Optional<GameManifest> manifest = library.manifest(gameId);
        if (manifest.isEmpty()) {
            games.remove(gameId); // let a withdrawn game's hashes go
        }
        return manifest;
    }

    /** The entry for {@code path} in {@code manifest}, empty when it lists no such path. */
    Optional<FileManifest> file(GameManifest manifest, String path) {
        Indexed indexed = games.get(manifest.gameId());
        if (indexed == null || indexed.manifest() != manifest) {
            Map<String, FileManifest> byPath = new HashMap<>();
            for (FileManifest f : manifest.files()) {
                byPath.put(f.path(), f);
            }
            indexed = new Indexed(manifest, byPath);
            games.put(manifest.gameId(), indexed);
        }
        return Optional.ofNullable(indexed.byPath().get(path));
    }
}
