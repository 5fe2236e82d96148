package io.lanspread.download.internal.store;

import java.nio.file.Path;
import java.util.BitSet;

import io.lanspread.api.game.GameManifest;

/**
 * Bytes already on this machine that a download may reuse: a folder laid out as {@code manifest} says, of
 * which the chunks in {@code valid} (indices of {@link ChunkLayout} for that manifest) are known good; null
 * means all of them (an installed copy, whose manifest the library hashed). Every reused chunk is verified
 * again against the new manifest before it counts.
 */
public record LocalCopy(Path folder, GameManifest manifest, BitSet valid) {
}
