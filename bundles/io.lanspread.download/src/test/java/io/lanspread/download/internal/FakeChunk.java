package io.lanspread.download.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.ReceivedChunk;

/**
 * A received chunk over a heap or a direct buffer that tells on its user: it counts releases (and second
 * releases) in its {@link FakePeers}, refuses {@link #data()} after release, and zeroes its bytes when
 * released, so that a view read afterwards carries wrong bytes and fails verification or the final compare.
 */
final class FakeChunk implements ReceivedChunk {
    private final FakePeers peers;
    private final ChunkRange range;
    private final ByteBuffer bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    FakeChunk(FakePeers peers, ChunkRange range, byte[] content, boolean direct) {
        this.peers = peers;
        this.range = range;
        this.bytes = direct ? ByteBuffer.allocateDirect(content.length) : ByteBuffer.allocate(content.length);
        this.bytes.put(content).flip();
        peers.handedOut.incrementAndGet();
    }

    @Override
    public ChunkRange range() {
        return range;
    }

    @Override
    public ByteBuffer data() {
        if (released.get()) {
            peers.usedAfterRelease.incrementAndGet();
            throw new IllegalStateException("chunk " + range + " used after release");
        }
        return bytes.asReadOnlyBuffer();
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            peers.releasedTwice.incrementAndGet();
            return;
        }
        ByteBuffer poison = bytes.duplicate().clear();
        while (poison.hasRemaining()) {
            poison.put((byte) 0);
        }
        peers.released.incrementAndGet();
    }
}
