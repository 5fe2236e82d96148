package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.lanspread.api.game.PartialCopy;
import io.lanspread.protocol.Request;
import io.netty.buffer.ByteBuf;

/**
 * Chunks of a game version this peer is still downloading (swarming): only those its partial copy holds
 * verified, each checked against the manifest again as it is read, so bytes that changed on disk since they
 * were written are refused rather than served.
 */
final class PartialChunks implements ChunkReader {

    private final PartialCopy copy;

    PartialChunks(PartialCopy copy) {
        this.copy = copy;
    }

    @Override
    public void checkServed() {
        // the copy was found when the stream started; a copy that ends meanwhile fails its reads
    }

    @Override
    public void read(Request.GetChunks.Range range, ByteBuf target) throws ServedFiles.ChunkNotHeld {
        int at = target.writerIndex();
        target.ensureWritable(range.length());
        ByteBuffer into = target.nioBuffer(at, range.length());
        boolean read;
        try {
            read = copy.read(range.path(), range.offset(), range.length(), into);
        } catch (IOException e) { // the download ended meanwhile and its folder moved or went away
            throw new ServedFiles.ChunkNotHeld("the partial copy of " + range.path() + " is no longer readable: "
                    + e.getMessage());
        }
        if (!read) {
            throw new ServedFiles.ChunkNotHeld("the chunk at " + range.offset() + " of " + range.path()
                    + " is not held verified by this peer's partial copy");
        }
        target.writerIndex(at + range.length());
    }

    @Override
    public void close() {
        // nothing kept open: the copy opens its file per read
    }
}
