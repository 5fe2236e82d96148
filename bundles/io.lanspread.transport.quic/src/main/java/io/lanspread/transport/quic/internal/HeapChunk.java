package io.lanspread.transport.quic.internal;

import java.nio.ByteBuffer;

import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.ReceivedChunk;

/** A chunk from a protocol 1 or 2 peer, answered one request per chunk onto the heap; release has nothing to give back. */
final class HeapChunk implements ReceivedChunk {

    private final ChunkRange range;
    private final ByteBuffer bytes;

    HeapChunk(ChunkRange range, ChunkData data) {
        this.range = range;
        this.bytes = data.data();
    }

    @Override
    public ChunkRange range() {
        return range;
    }

    @Override
    public ByteBuffer data() {
        return bytes.duplicate();
    }

    @Override
    public void release() {
        // garbage collected
    }
}
