package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.lanspread.api.game.FileManifest;

/**
 * Computes a file's {@link FileManifest} in one read pass: positional reads into a reused direct buffer,
 * each read fed to the whole-file digest and to the digest of the chunk it belongs to. Not thread-safe:
 * one per hashing thread, which keeps the buffer and the digests.
 */
final class ChunkHasher {

    /** A whole number of chunks, so a read never spans more chunk boundaries than it must. */
    static final int BUFFER_SIZE = 1 << 20;

    private final int chunkSize;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    // MessageDigest copies a direct buffer in 4 KiB steps; one bulk copy into this array is cheaper
    private final byte[] bytes = new byte[BUFFER_SIZE];
    private final MessageDigest whole = sha256();
    private final MessageDigest chunk = sha256();
    private final AtomicLong hashedBytes;

    /**
     * @param hashedBytes grows by every byte read, so tests can tell a cache hit from a rehash
     */
    ChunkHasher(int chunkSize, AtomicLong hashedBytes) {
        this.chunkSize = chunkSize;
        this.hashedBytes = hashedBytes;
    }

    /**
     * Hashes the first {@code size} bytes of {@code file}; the caller compares the file's size and mtime
     * before and after to know the bytes were not changing meanwhile.
     *
     * @param stop checked between reads; when true the hash is abandoned with a {@link CancellationException}
     * @throws IOException when the file cannot be read or is shorter than {@code size}
     */
    FileManifest hash(Path file, String relativePath, long size, BooleanSupplier stop) throws IOException {
        long chunks = (size + chunkSize - 1) / chunkSize;
        if (chunks > Integer.MAX_VALUE / FileManifest.HASH_LENGTH) {
            throw new IOException("file too large to hash: " + file);
        }
        byte[] chunkHashes = new byte[(int) chunks * FileManifest.HASH_LENGTH];
        whole.reset();
        chunk.reset();
        int chunkIndex = 0;
        int inChunk = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long position = 0;
            while (position < size) {
                if (stop.getAsBoolean()) {
                    throw new CancellationException("hashing stopped");
                }
                buffer.clear().limit((int) Math.min(BUFFER_SIZE, size - position));
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new IOException(file + " shrank while being hashed");
                }
                buffer.flip().get(bytes, 0, read);
                whole.update(bytes, 0, read);
                int offset = 0;
                while (offset < read) {
                    int take = Math.min(read - offset, chunkSize - inChunk);
                    chunk.update(bytes, offset, take);
                    offset += take;
                    inChunk += take;
                    if (inChunk == chunkSize) {
                        finishChunk(chunkHashes, chunkIndex++);
                        inChunk = 0;
                    }
                }
                position += read;
                hashedBytes.addAndGet(read);
            }
        }
        if (inChunk > 0) {
            finishChunk(chunkHashes, chunkIndex);
        }
        return new FileManifest(relativePath, size, false, whole.digest(), chunkHashes);
    }

    private void finishChunk(byte[] chunkHashes, int index) {
        try {
            chunk.digest(chunkHashes, index * FileManifest.HASH_LENGTH, FileManifest.HASH_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest does not fit 32 bytes", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
