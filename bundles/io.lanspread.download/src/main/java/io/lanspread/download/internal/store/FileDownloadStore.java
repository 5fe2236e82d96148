package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.GameManifest;

/**
 * A download's staging folder and journal, made by {@link FileStoreFactory}. Chunks are written unforced and
 * made durable in batches by a {@link DurabilityBatcher} (fdatasync of every file written to, then the marks
 * appended to the journal's log); chunks in different ranges are written concurrently without a shared lock.
 */
final class FileDownloadStore implements DownloadStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileDownloadStore.class);

    private final FileStoreFactory factory;
    private final Journal journal;
    private final DownloadRequest request;
    private final ChunkLayout layout;
    private final StagingFolder staging;
    private final MarkLog marks;
    private final DurabilityBatcher<StagedFile> batcher;
    /** Guarded by itself. */
    private final BitSet done;
    private final AtomicLong reused = new AtomicLong();
    private volatile boolean closed;

    FileDownloadStore(FileStoreFactory factory, Journal journal, DownloadRequest request, ChunkLayout layout,
            StagingFolder staging, MarkLog marks, BitSet done, CommitPolicy commits) {
        this.factory = factory;
        this.journal = journal;
        this.request = request;
        this.layout = layout;
        this.staging = staging;
        this.marks = marks;
        this.done = (BitSet) done.clone();
        this.batcher = new DurabilityBatcher<>(commits, this::force, indices -> markDurable(indices, false));
    }

    @Override
    public String downloadId() {
        return journal.downloadId();
    }

    DownloadRequest request() {
        return request;
    }

    @Override
    public GameManifest manifest() {
        return layout.manifest();
    }

    @Override
    public ChunkLayout layout() {
        return layout;
    }

    StagingFolder staging() {
        return staging;
    }

    Journal journal() {
        return journal;
    }

    @Override
    public BitSet done() {
        synchronized (done) {
            return (BitSet) done.clone();
        }
    }

    @Override
    public boolean isDone(int index) {
        synchronized (done) {
            return done.get(index);
        }
    }

    @Override
    public void unmark(int index) {
        Objects.checkIndex(index, layout.chunkCount());
        synchronized (done) {
            done.clear(index);
        }
        LOG.warn("download {}: chunk {} no longer matches its manifest in staging and will be fetched again",
                downloadId(), index);
    }

    @Override
    public BitSet recheck() throws IOException {
        checkOpen();
        commit();
        BitSet marked = done();
        BitSet bad = (BitSet) marked.clone();
        bad.andNot(new ChunkRehasher(layout).verify(marked, index -> staging.file(layout.fileIndexOf(index)).local()));
        for (int i = bad.nextSetBit(0); i >= 0; i = bad.nextSetBit(i + 1)) {
            unmark(i);
        }
        return bad;
    }

    boolean complete() {
        synchronized (done) {
            return done.cardinality() == layout.chunkCount();
        }
    }

    @Override
    public void read(Chunk chunk, ByteBuffer target) throws IOException {
        checkReadable();
        Objects.checkIndex(chunk.index(), layout.chunkCount());
        if (target.remaining() < chunk.length()) {
            throw new IllegalArgumentException(target.remaining() + " bytes of room for " + chunk);
        }
        Path file = staging.file(layout.fileIndexOf(chunk.index())).local();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ)) {
            ByteBuffer into = target.duplicate();
            into.limit(into.position() + chunk.length());
            while (into.hasRemaining()) {
                if (channel.read(into, chunk.offset() + into.position() - target.position()) < 0) {
                    throw new IOException(chunk.path() + " is shorter in staging than its manifest says");
                }
            }
        }
        target.position(target.position() + chunk.length());
    }

    private void checkReadable() throws IOException {
        if (closed) {
            throw new IOException("the store of download " + downloadId() + " is closed");
        }
    }

    @Override
    public long reusedBytes() {
        return reused.get();
    }

    @Override
    public void write(Chunk chunk, ByteBuffer data) throws IOException {
        checkOpen();
        if (isDone(chunk.index())) {
            return; // a second copy (endgame) or a reused chunk: the file may be a link, never write into it
        }
        StagedFile file = writeUnforced(chunk, data);
        if (batcher.written(file, chunk.index(), chunk.length())) {
            commit();
        }
    }

    @Override
    public void commit() throws IOException {
        batcher.commit();
    }

    @Override
    public boolean uncommitted() {
        return batcher.pending();
    }

    @Override
    public boolean commitDue() {
        return batcher.due();
    }

    private void force(StagedFile file) throws IOException {
        try {
            file.force();
        } catch (IOException e) {
            throw DiskErrors.writeFailed(file.entry().path() + " of " + layout.manifest().gameId(), staging.root(), e);
        }
    }

    /** Writes a chunk's bytes without forcing them; the caller forces the file before {@link #markDurable}. */
    StagedFile writeUnforced(Chunk chunk, ByteBuffer data) throws IOException {
        Objects.checkIndex(chunk.index(), layout.chunkCount());
        if (!chunk.equals(layout.chunk(chunk.index()))) {
            throw new IllegalArgumentException("chunk " + chunk + " is not chunk " + layout.chunk(chunk.index()));
        }
        if (data.remaining() != chunk.length()) {
            throw new IllegalArgumentException(data.remaining() + " bytes for " + chunk);
        }
        StagedFile file = staging.file(layout.fileIndexOf(chunk.index()));
        try {
            file.write(chunk.offset(), data);
        } catch (IOException e) {
            throw DiskErrors.writeFailed(chunk.path() + " of " + layout.manifest().gameId(), staging.root(), e);
        }
        return file;
    }

    /** Marks chunks whose bytes are durable; returns the bytes newly marked. */
    long markDurable(int[] indices, boolean fromReuse) throws IOException {
        if (indices.length == 0) {
            return 0;
        }
        checkOpen();
        marks.append(indices);
        long bytes = 0;
        synchronized (done) {
            for (int index : indices) {
                if (!done.get(index)) {
                    done.set(index);
                    bytes += layout.chunk(index).length();
                }
            }
        }
        if (fromReuse) {
            reused.addAndGet(bytes);
        }
        return bytes;
    }

    @Override
    public long reuse(List<LocalCopy> copies, BooleanSupplier cancelled) throws IOException {
        checkOpen();
        return new LocalReuse(this).run(copies, cancelled);
    }

    @Override
    public void install() throws IOException {
        checkOpen();
        commit();
        if (!complete()) {
            throw new IllegalStateException("download " + downloadId() + " is not complete: "
                    + (layout.chunkCount() - done().cardinality()) + " chunks missing");
        }
        factory.install(this);
        closed = true;
        marks.close();
    }

    @Override
    public void discard() {
        batcher.drop();
        release();
        factory.discarded(this);
    }

    @Override
    public void close() {
        if (!closed) {
            try {
                commit();
            } catch (IOException | RuntimeException e) {
                LOG.warn("download {}: the chunks written since the last commit could not be made durable and will be"
                        + " fetched again: {}", downloadId(), e.toString());
            }
        }
        release();
    }

    private void release() {
        closed = true;
        staging.close();
        marks.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the store of download " + downloadId() + " is closed");
        }
    }

    Path stagingRoot() {
        return staging.root();
    }

    @Override
    public String toString() {
        return "DownloadStore[" + downloadId() + ", " + layout.manifest().gameId() + " " + layout.manifest().version() + "]";
    }
}
