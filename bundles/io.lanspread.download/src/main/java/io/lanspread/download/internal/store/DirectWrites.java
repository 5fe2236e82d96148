package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes that bypass the page cache (O_DIRECT) where the file system allows them. A buffered write copies
 * every byte into the page cache and writeback then walks it again: on the benchmark machine that cost about
 * 2.6 CPU-seconds per GiB, a third of what a download costs the receiver; a direct write hands the aligned
 * buffer to the disk and costs about 0.2. Only what is aligned goes this way: the buffer's address, the file
 * position and the length must be multiples of the file system's block size (a 512 KiB chunk is, except the
 * tail of a file's last chunk, which the caller writes buffered).
 */
final class DirectWrites {

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, from the platform class loader, so that this bundle
     * imports no {@code com.sun} package; null where the JDK has no such option.
     */
    private static final OpenOption DIRECT = lookUpDirect();

    private final FileChannel channel;
    private final int alignment;

    private DirectWrites(FileChannel channel, int alignment) {
        this.channel = channel;
        this.alignment = alignment;
    }

    /** A direct channel for writing {@code file}, or null where direct I/O is not available there. */
    static DirectWrites open(Path file) {
        if (DIRECT == null) {
            return null;
        }
        try {
            long blockSize = Files.getFileStore(file).getBlockSize();
            if (blockSize <= 0 || blockSize > 64 * 1024 || Long.bitCount(blockSize) != 1) {
                return null;
            }
            return new DirectWrites(FileChannel.open(file, StandardOpenOption.WRITE, DIRECT), (int) blockSize);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null; // tmpfs before Linux 6.6, some network and FUSE file systems: buffered writes then
        }
    }

    /**
     * How many of {@code data}'s remaining bytes, from its position, this channel can write at {@code position}:
     * a multiple of the block size, 0 when the address or the position is not aligned.
     */
    int writable(long position, ByteBuffer data) {
        if (!data.isDirect() || position % alignment != 0 || data.alignmentOffset(data.position(), alignment) != 0) {
            return 0;
        }
        return data.remaining() - data.remaining() % alignment;
    }

    /** Writes {@code src}'s remaining bytes, all aligned (see {@link #writable}), at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    void close() throws IOException {
        channel.close();
    }

    private static OpenOption lookUpDirect() {
        try {
            Class<?> type = ClassLoader.getPlatformClassLoader().loadClass("com.sun.nio.file.ExtendedOpenOption");
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals("DIRECT")) {
                    return (OpenOption) constant;
                }
            }
        } catch (ClassNotFoundException | LinkageError | ClassCastException e) {
            // a JDK without it: buffered writes only
        }
        return null;
    }
}
