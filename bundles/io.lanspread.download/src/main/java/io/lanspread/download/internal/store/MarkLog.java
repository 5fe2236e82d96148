package io.lanspread.download.internal.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * The verified chunks of a download as an append-only log of fixed-width records: the chunk index and its
 * complement, so that a torn or zero-filled last record (a crash while appending) reads as invalid and is
 * ignored. Appends are not forced: a mark lost in a power cut only costs a refetch, and a batch's data is
 * forced before its marks are written ({@link DurabilityBatcher}), so a mark that survives always points at
 * durable bytes.
 */
final class MarkLog implements Closeable {
    static final int RECORD = 8;

    private final Path file;
    private final FileChannel channel;

    private MarkLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens the log for appending, creating it when missing. */
    static MarkLog open(Path file) throws IOException {
        return new MarkLog(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Replaces the log with exactly {@code marks} (after a re-verification dropped some). */
    static void rewrite(Path file, BitSet marks) throws IOException {
        AtomicFiles.write(file, out -> {
            ByteBuffer record = ByteBuffer.allocate(RECORD);
            for (int i = marks.nextSetBit(0); i >= 0; i = marks.nextSetBit(i + 1)) {
                record.clear();
                out.write(encode(record, i).array());
            }
        });
    }

    /** The indices below {@code chunkCount} marked in the log; a missing log marks nothing. */
    static BitSet read(Path file, int chunkCount) throws IOException {
        BitSet marks = new BitSet(chunkCount);
        if (!Files.exists(file)) {
            return marks;
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        while (all.remaining() >= RECORD) { // a shorter tail is a torn record
            int index = all.getInt();
            int check = all.getInt();
            if (check == ~index && index >= 0 && index < chunkCount) {
                marks.set(index);
            }
        }
        return marks;
    }

    synchronized void append(int index) throws IOException {
        append(new int[] { index });
    }

    synchronized void append(int[] indices) throws IOException {
        ByteBuffer records = ByteBuffer.allocate(RECORD * indices.length);
        for (int index : indices) {
            records.putInt(index).putInt(~index);
        }
        records.flip();
        try {
            while (records.hasRemaining()) {
                channel.write(records);
            }
        } catch (IOException e) {
            throw DiskErrors.writeFailed("the download's journal", file.getParent(), e);
        }
    }

    private static ByteBuffer encode(ByteBuffer record, int index) {
        return record.putInt(index).putInt(~index);
    }

    @Override
    public synchronized void close() {
        try (channel) {
            if (channel.isOpen()) {
                channel.force(false);
            }
        } catch (IOException ignored) {
            // the marks written are in the page cache; at worst a power cut costs refetching them
        }
    }
}
