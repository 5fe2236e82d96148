package io.lanspread.download.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One regular file being written. Its channel is opened on the first write and closed (after an fsync)
 * when its last chunk is in, or when the download stops. Positional writes may run concurrently.
 */
final class FileTarget {
    private final String path;
    private final Path local;
    private final long size;
    private FileChannel channel;
    private boolean closed;
    /** Chunks not yet written; guarded by the owning job's lock. */
    int chunksLeft;

    FileTarget(String path, Path local, long size) {
        this.path = path;
        this.local = local;
        this.size = size;
    }

    String path() {
        return path;
    }

    Path local() {
        return local;
    }

    long size() {
        return size;
    }

    void write(long offset, ByteBuffer data) throws IOException {
        FileChannel ch = channel();
        ByteBuffer src = data.duplicate();
        long position = offset;
        while (src.hasRemaining()) {
            position += ch.write(src, position);
        }
    }

    /** Flushes the file to disk and closes it; it takes no more writes. */
    synchronized void complete() throws IOException {
        closed = true;
        if (channel != null) {
            try (FileChannel ch = channel) {
                ch.force(true);
            } finally {
                channel = null;
            }
        }
    }

    synchronized void closeQuietly() {
        closed = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the download is being abandoned anyway
            }
            channel = null;
        }
    }

    private synchronized FileChannel channel() throws IOException {
        if (closed) {
            throw new IOException("file already closed: " + local);
        }
        if (channel == null) {
            channel = FileChannel.open(local, StandardOpenOption.WRITE);
        }
        return channel;
    }
}
