package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/** Chunk bodies start at a page boundary (for the store's direct writes) and hold exactly the chunk. */
class AlignedBodiesTest {

    @Test
    void aBodyStartsAtAPageAndHoldsExactlyItsLength() {
        for (ByteBufAllocator alloc : new ByteBufAllocator[] {ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
                UnpooledByteBufAllocator.DEFAULT}) {
            for (int length : new int[] {512 * 1024, 512 * 1024 - 1000, 1}) {
                ByteBuf body = AlignedBodies.allocate(alloc, length);
                try {
                    assertThat(body.readableBytes()).isZero();
                    assertThat(body.writableBytes()).as(alloc + ", " + length).isEqualTo(length);
                    assertThat(body.maxWritableBytes()).isEqualTo(length);
                    body.writeZero(length);
                    assertThat(body.isWritable()).isFalse();
                    assertThat(body.nioBuffer(0, length).alignmentOffset(0, AlignedBodies.ALIGNMENT))
                            .as(alloc + ", " + length).isZero();
                } finally {
                    assertThat(body.release()).as("the whole allocation is freed").isTrue();
                }
                assertThat(body.refCnt()).isZero();
            }
        }
    }
}
