package io.lanspread.catalog.internal;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;

/**
 * A listed game: what it is, its manifest and the size and mtime each file had when it was hashed.
 */
record ServedGame(Game game, GameManifest manifest, Map<String, TreeEntry> stamps) {

    static ServedGame of(ScannedGame scanned, GameManifest manifest) {
        return new ServedGame(scanned.game(), manifest,
                scanned.tree().stream().collect(Collectors.toUnmodifiableMap(TreeEntry::path, Function.identity())));
    }
}
