package io.lanspread.catalog.internal;

import java.nio.file.Path;

import io.lanspread.api.game.GameManifest;

/**
 * The outcome of hashing one observed game.
 *
 * @param gamesDir     the game directory the game was hashed in
 * @param scanned      the observation that was hashed
 * @param manifest     the complete manifest, or null when a file changed meanwhile or could not be read
 * @param servedBefore the cache says exactly this tree was listed before (a restart over an unchanged
 *                     library), so it need not wait for the quiet period again
 * @param unstable     a file changed while being hashed: look at the game again soon
 */
record HashResult(Path gamesDir, ScannedGame scanned, GameManifest manifest, boolean servedBefore, boolean unstable) {
}
