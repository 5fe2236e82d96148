package io.lanspread.download.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.FileManifest;

/**
 * A staged file's writes land byte for byte whichever way they go: aligned direct buffers past the page cache
 * (O_DIRECT), anything else (heap buffers, unaligned addresses or positions, a file's short tail) through it.
 */
class StagedFileTest {
    private static final int BLOCK = 4096;
    /** File systems of Linux's that take direct writes; elsewhere the writes only have to land. */
    private static final Set<String> DIRECT_CAPABLE = Set.of("ext4", "xfs", "btrfs");

    @TempDir
    Path dir;

    @Test
    void alignedDirectUnalignedAndHeapWritesAllLandByteForByte() throws IOException {
        int size = 3 * 512 * 1024 + 1234; // a short tail, as a file's last chunk has
        byte[] expected = new byte[size];
        new Random(7).nextBytes(expected);
        StagedFile file = new StagedFile(entry(size), dir.resolve("game").resolve("data.bin"));
        file.preallocate();

        int chunk = 512 * 1024;
        file.write(0, aligned(expected, 0, chunk)); // the direct path
        file.write(chunk, unaligned(expected, chunk, chunk)); // a direct buffer 16 bytes past a block
        file.write(2L * chunk, ByteBuffer.wrap(expected, 2 * chunk, chunk).slice()); // heap
        file.write(3L * chunk, aligned(expected, 3 * chunk, size - 3 * chunk)); // aligned head, buffered tail
        file.force();
        file.close();

        assertThat(Files.readAllBytes(file.local())).isEqualTo(expected);
    }

    @Test
    void aWriteLeavesItsBufferUntouched() throws IOException {
        byte[] bytes = new byte[2 * BLOCK + 10];
        new Random(8).nextBytes(bytes);
        StagedFile file = new StagedFile(entry(bytes.length), dir.resolve("b.bin"));
        file.preallocate();
        ByteBuffer data = aligned(bytes, 0, bytes.length);
        file.write(0, data);
        file.close();
        assertThat(data.position()).isZero();
        assertThat(data.remaining()).isEqualTo(bytes.length);
        assertThat(Files.readAllBytes(file.local())).isEqualTo(bytes);
    }

    @Test
    void directWritesTakeOnlyWhatIsAligned() throws IOException {
        Path path = Files.createFile(dir.resolve("c.bin"));
        DirectWrites direct = DirectWrites.open(path);
        String type = Files.getFileStore(path).type();
        if (System.getProperty("os.name").startsWith("Linux") && DIRECT_CAPABLE.contains(type)) {
            assertThat(direct).as("direct writes on " + type).isNotNull();
        }
        if (direct == null) {
            return; // this file system writes buffered; the test above still checks the bytes
        }
        try {
            ByteBuffer buffer = aligned(new byte[3 * BLOCK + 100], 0, 3 * BLOCK + 100);
            assertThat(direct.writable(0, buffer)).isEqualTo(3 * BLOCK);
            assertThat(direct.writable(BLOCK, buffer)).isEqualTo(3 * BLOCK);
            assertThat(direct.writable(100, buffer)).as("an unaligned file position").isZero();
            assertThat(direct.writable(0, buffer.duplicate().position(16))).as("an unaligned address").isZero();
            assertThat(direct.writable(0, ByteBuffer.allocate(BLOCK))).as("a heap buffer").isZero();
            assertThat(direct.writable(0, aligned(new byte[100], 0, 100))).as("less than a block").isZero();
        } finally {
            direct.close();
        }
    }

    private static FileManifest entry(long size) {
        return new FileManifest("data.bin", size, false, new byte[FileManifest.HASH_LENGTH], new byte[0]);
    }

    /** {@code length} bytes of {@code from} at {@code offset}, in a direct buffer starting at a block boundary. */
    private static ByteBuffer aligned(byte[] from, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length + 2 * BLOCK).alignedSlice(BLOCK).limit(length).slice();
        buffer.put(from, offset, length).flip();
        return buffer;
    }

    /** The same, starting 16 bytes past a block boundary (as Netty's pooled buffers do). */
    private static ByteBuffer unaligned(byte[] from, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length + 3 * BLOCK).alignedSlice(BLOCK).position(16).limit(16 + length).slice();
        buffer.put(from, offset, length).flip();
        return buffer;
    }
}
