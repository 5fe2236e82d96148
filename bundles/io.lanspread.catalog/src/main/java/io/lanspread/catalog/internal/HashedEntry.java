package io.lanspread.catalog.internal;

import io.lanspread.api.game.FileManifest;

/**
 * A tree entry with the manifest computed for it; the manifest holds as long as the file still has the
 * entry's size and mtime.
 */
record HashedEntry(TreeEntry stamp, FileManifest manifest) {
}
