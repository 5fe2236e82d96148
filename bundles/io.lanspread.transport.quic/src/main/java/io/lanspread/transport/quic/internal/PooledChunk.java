package io.lanspread.transport.quic.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.ReceivedChunk;
import io.netty.buffer.ByteBuf;

/** A received chunk in a pooled direct buffer of Netty's, given back to the pool on release. */
final class PooledChunk implements ReceivedChunk {

    private final ChunkRange range;
    private final ByteBuf bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    PooledChunk(ChunkRange range, ByteBuf bytes) {
        this.range = range;
        this.bytes = bytes;
    }

    @Override
    public ChunkRange range() {
        return range;
    }

    @Override
    public ByteBuffer data() {
        if (released.get()) {
            throw new IllegalStateException("chunk " + range + " was released");
        }
        return bytes.nioBuffer(bytes.readerIndex(), bytes.readableBytes()).asReadOnlyBuffer();
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            bytes.release();
        }
    }
}
