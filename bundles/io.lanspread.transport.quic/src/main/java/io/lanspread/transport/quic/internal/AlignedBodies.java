package io.lanspread.transport.quic.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Direct buffers for received chunks whose first byte sits at a 4 KiB boundary, so that the download store
 * can hand them to the disk without a copy (direct I/O needs the memory aligned to the file system's block;
 * Netty's pooled buffers start 16 bytes past one). Costs one page per chunk.
 */
final class AlignedBodies {

    /** The alignment given: the page size, which is the block size of the usual file systems (and a multiple of the rest). */
    static final int ALIGNMENT = 4096;

    private AlignedBodies() {
    }

    /**
     * An empty buffer of exactly {@code length} writable bytes, starting at an aligned address where the
     * allocator gives direct memory with an address; releasing it releases the whole allocation.
     */
    static ByteBuf allocate(ByteBufAllocator alloc, int length) {
        ByteBuf whole = alloc.directBuffer(length + ALIGNMENT - 1, length + ALIGNMENT - 1);
        if (!whole.hasMemoryAddress()) {
            return whole.slice(0, length).clear();
        }
        int skip = (int) ((ALIGNMENT - whole.memoryAddress() % ALIGNMENT) % ALIGNMENT);
        return whole.slice(skip, length).clear();
    }
}
