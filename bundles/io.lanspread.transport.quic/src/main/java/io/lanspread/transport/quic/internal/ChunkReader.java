package io.lanspread.transport.quic.internal;

import java.io.IOException;

import io.lanspread.protocol.Request;
import io.netty.buffer.ByteBuf;

/**
 * Where the chunks of one request stream come from: the library's complete copy of a game
 * ({@link LibraryChunks}) or a partial copy a download is still writing ({@link PartialChunks}). Used by one
 * {@link ChunkStreamer} read task at a time, on the I/O executor.
 */
interface ChunkReader {

    /**
     * Whether the game is served at all.
     *
     * @throws io.lanspread.api.game.GameNotFoundException when it is not
     */
    void checkServed();

    /** Reads exactly {@code range.length()} bytes into {@code target} (from its writer index). */
    void read(Request.GetChunks.Range range, ByteBuf target)
            throws IOException, ServedFiles.FileNotServed, ServedFiles.FileChanged, ServedFiles.ChunkNotHeld;

    /** Releases what the reads opened; the next read opens it afresh. */
    void close();
}
