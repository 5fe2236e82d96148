package io.lanspread.transport.quic.internal;

import java.io.IOException;

import io.lanspread.protocol.Request;
import io.netty.buffer.ByteBuf;

/** Chunks of a game the library lists complete, read only while its files match its manifest. */
final class LibraryChunks implements ChunkReader {

    private final ServedFiles files;
    private final String gameId;
    private ServedFiles.HashedFile open;

    LibraryChunks(ServedFiles files, String gameId) {
        this.files = files;
        this.gameId = gameId;
    }

    @Override
    public void checkServed() {
        files.manifest(gameId);
    }

    @Override
    public void read(Request.GetChunks.Range range, ByteBuf target)
            throws IOException, ServedFiles.FileNotServed, ServedFiles.FileChanged {
        files.readAsHashed(fileFor(range.path()), range.offset(), range.length(), target);
    }

    private ServedFiles.HashedFile fileFor(String path) throws IOException, ServedFiles.FileNotServed,
            ServedFiles.FileChanged {
        if (open != null && open.entry().path().equals(path)) {
            return open;
        }
        close();
        open = files.openAsHashed(gameId, path);
        return open;
    }

    @Override
    public void close() {
        ServedFiles.HashedFile file = open;
        open = null;
        if (file != null) {
            file.close();
        }
    }
}
