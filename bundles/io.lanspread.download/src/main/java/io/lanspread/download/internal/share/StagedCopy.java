package io.lanspread.download.internal.share;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.PartialCopy;
import io.lanspread.download.internal.store.ChunkLayout;
import io.lanspread.download.internal.store.DownloadStore;
import io.lanspread.download.internal.verify.ChunkVerifier;

/**
 * A running download's staging folder as other peers may read it (swarming): the chunks its store marked done
 * (verified, written and durable), each read back from disk and hashed against the chosen manifest before it is
 * handed out, so a chunk that changed on disk after it was verified is refused, never served. Such a chunk is
 * also taken back from the download: the store no longer counts it done and the download is told, so it fetches
 * it again and never installs the bad bytes. Thread-safe (the server reads on its I/O threads while the download
 * writes); {@link #close()} waits for the reads under way, so nothing is taken back after it returned.
 */
public final class StagedCopy implements PartialCopy {
    private static final Logger LOG = LoggerFactory.getLogger(StagedCopy.class);

    private final DownloadStore store;
    private final ChunkLayout layout;
    private final byte[] contentHash;
    private final Map<String, Integer> fileByPath = new HashMap<>();
    private final AtomicLong servedChunks = new AtomicLong();
    private final AtomicLong refusedChunks = new AtomicLong();
    private final AtomicLong badChunks = new AtomicLong();
    private final IntConsumer bad;
    /** Reads hold it shared; close takes it alone. */
    private final ReadWriteLock reading = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /**
     * @param bad told (on the reading thread, after the store took the chunk back) of a done chunk whose bytes
     *     in staging no longer match the manifest
     */
    public StagedCopy(DownloadStore store, ChunkLayout layout, IntConsumer bad) {
        this.store = store;
        this.layout = layout;
        this.bad = bad;
        this.contentHash = layout.manifest().contentHash();
        List<FileManifest> files = layout.manifest().files();
        for (int f = 0; f < files.size(); f++) {
            fileByPath.put(files.get(f).path(), f);
        }
    }

    /** The download ended or stopped: nothing more is read from its folder. */
    public void close() {
        reading.writeLock().lock();
        try {
            closed = true;
        } finally {
            reading.writeLock().unlock();
        }
    }

    public boolean closed() {
        return closed;
    }

    /** Chunks handed out to other peers. */
    public long servedChunks() {
        return servedChunks.get();
    }

    /** Chunks asked for and refused: not held, or their bytes no longer matched the manifest. */
    public long refusedChunks() {
        return refusedChunks.get();
    }

    @Override
    public GameManifest manifest() {
        return layout.manifest();
    }

    @Override
    public byte[] contentHash() {
        return contentHash.clone();
    }

    /** Done chunks found bad in staging and taken back from the download. */
    public long badChunks() {
        return badChunks.get();
    }

    /**
     * The chunks held, plus two for every chunk taken back: it still grows whenever the map changes (a chunk
     * taken back lowers the count by one), so a client polling with the last revision never misses a change.
     */
    @Override
    public long revision() {
        return closed ? 0 : store.done().cardinality() + 2 * badChunks.get();
    }

    @Override
    public BitSet held() {
        return closed ? new BitSet() : store.done();
    }

    @Override
    public boolean read(String path, long offset, int length, ByteBuffer target) throws IOException {
        reading.readLock().lock();
        try {
            return readHeld(path, offset, length, target);
        } finally {
            reading.readLock().unlock();
        }
    }

    private boolean readHeld(String path, long offset, int length, ByteBuffer target) throws IOException {
        Integer index = chunkAt(path, offset, length);
        if (closed || index == null || !store.isDone(index)) {
            refusedChunks.incrementAndGet();
            return false;
        }
        Chunk chunk = layout.chunk(index);
        int start = target.position();
        store.read(chunk, target);
        ByteBuffer written = target.duplicate();
        written.position(start).limit(start + length);
        if (!layout.matches(index, ChunkVerifier.sha256(written))) {
            refusedChunks.incrementAndGet();
            LOG.warn("chunk at {} of {} of {} no longer matches its manifest in staging: not served, fetched again",
                    offset, path, layout.manifest().gameId());
            store.unmark(index);
            badChunks.incrementAndGet();
            bad.accept(index);
            return false;
        }
        servedChunks.incrementAndGet();
        return true;
    }

    /** The chunk that starts at {@code offset} of {@code path} and is exactly {@code length} long, or null. */
    private Integer chunkAt(String path, long offset, int length) {
        Integer file = fileByPath.get(path);
        int size = layout.manifest().chunkSize();
        if (file == null || offset < 0 || offset % size != 0) {
            return null;
        }
        long inFile = offset / size;
        if (inFile >= layout.manifest().files().get(file).chunkCount()) {
            return null;
        }
        int index = layout.firstChunkOf(file) + (int) inFile;
        return layout.chunk(index).length() == length ? index : null;
    }
}
