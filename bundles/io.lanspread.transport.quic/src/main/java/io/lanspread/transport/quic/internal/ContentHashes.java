package io.lanspread.transport.quic.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lanspread.api.game.GameManifest;

/**
 * The content hash of each game's current library manifest, computed once per manifest instance (it reads
 * every chunk hash, megabytes for a big game) rather than on every have request.
 */
final class ContentHashes {

    private record Hashed(GameManifest manifest, byte[] hash) {
    }

    private final Map<String, Hashed> games = new ConcurrentHashMap<>();

    byte[] of(GameManifest manifest) {
        Hashed hashed = games.get(manifest.gameId());
        if (hashed == null || hashed.manifest() != manifest) {
            hashed = new Hashed(manifest, manifest.contentHash());
            games.put(manifest.gameId(), hashed);
        }
        return hashed.hash();
    }
}
