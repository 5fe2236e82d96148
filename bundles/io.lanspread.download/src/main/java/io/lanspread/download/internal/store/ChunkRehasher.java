package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.BitSet;

import io.lanspread.api.download.Chunk;

/**
 * Hashes chunks on disk again and keeps those that match the manifest: a mark in the journal only counts
 * once the bytes it points at are checked. Reads chunk by chunk in file order into one direct buffer, so it
 * runs at disk speed on the calling thread. Not thread-safe: one instance per thread (and per store).
 */
final class ChunkRehasher {
    private final ChunkLayout layout;
    private final ByteBuffer buffer;
    private final MessageDigest digest = Hashes.sha256();

    ChunkRehasher(ChunkLayout layout) {
        this.layout = layout;
        this.buffer = ByteBuffer.allocateDirect(layout.manifest().chunkSize());
    }

    /** Of {@code candidates}, the chunks whose bytes in {@code files.fileOf(index)} hash as the manifest says. */
    BitSet verify(BitSet candidates, ChunkFiles files) {
        BitSet good = new BitSet(layout.chunkCount());
        Path open = null;
        FileChannel channel = null;
        try {
            for (int i = candidates.nextSetBit(0); i >= 0 && i < layout.chunkCount(); i = candidates.nextSetBit(i + 1)) {
                Path path = files.fileOf(i);
                if (!path.equals(open)) {
                    closeQuietly(channel);
                    channel = null;
                    open = path;
                    try {
                        channel = FileChannel.open(path, StandardOpenOption.READ);
                    } catch (IOException e) {
                        continue; // the file is gone: none of its chunks count
                    }
                }
                if (channel != null && matches(channel, layout.chunk(i))) {
                    good.set(i);
                }
            }
        } finally {
            closeQuietly(channel);
        }
        return good;
    }

    /** Whether the chunk's bytes at its offset in {@code channel} hash as the manifest says. */
    boolean matches(FileChannel channel, Chunk chunk) {
        ByteBuffer data = read(channel, chunk.offset(), chunk.length());
        if (data == null) {
            return false;
        }
        return hashMatches(chunk.index(), data);
    }

    /** Whether {@code data}'s remaining bytes hash as the manifest says chunk {@code index} does. */
    boolean hashMatches(int index, ByteBuffer data) {
        digest.update(data.duplicate());
        return layout.matches(index, digest.digest());
    }

    /** Reads {@code length} bytes at {@code offset} into the shared buffer; null when the file is shorter. */
    ByteBuffer read(FileChannel channel, long offset, int length) {
        buffer.clear().limit(length);
        try {
            long at = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    return null;
                }
                at += n;
            }
        } catch (IOException e) {
            return null;
        }
        return buffer.flip();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read only
            }
        }
    }

    /** Where chunk {@code index} lives on disk. */
    interface ChunkFiles {
        Path fileOf(int index);
    }
}
