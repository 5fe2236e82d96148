package io.lanspread.api.transport;

import java.util.Objects;

/**
 * A byte range of one file of a game: what one chunk request asks for.
 *
 * @param path   the file's path relative to the game folder
 * @param offset where the range starts in the file
 * @param length how many bytes; at least 1
 */
public record ChunkRange(String path, long offset, int length) {
    public ChunkRange {
        Objects.requireNonNull(path, "path");
        if (offset < 0 || length < 1 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("invalid range: offset " + offset + ", length " + length);
        }
    }
}
