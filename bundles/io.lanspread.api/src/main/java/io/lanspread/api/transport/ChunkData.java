package io.lanspread.api.transport;

import java.nio.ByteBuffer;

/**
 * The bytes of one chunk as a peer sent them.
 *
 * @param path   the file's path relative to the game folder
 * @param offset where the bytes start in the file
 * @param data   the bytes, read-only, position 0
 * @param sha256 SHA-256 of the bytes as a protocol 1 peer computed it, lower-case hex; null from a
 *               protocol 2 peer, whose chunks are verified against the chosen manifest instead
 */
public record ChunkData(String path, long offset, ByteBuffer data, String sha256) {
}
