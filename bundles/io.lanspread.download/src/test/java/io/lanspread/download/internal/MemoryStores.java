package io.lanspread.download.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.download.internal.store.ChunkLayout;
import io.lanspread.download.internal.store.DownloadStore;
import io.lanspread.download.internal.store.LocalCopy;
import io.lanspread.download.internal.store.StoreFactory;
import io.lanspread.download.internal.verify.ChunkVerifier;

/**
 * A StoreFactory in memory: staging folders are byte arrays, local copies are registered by folder. Like the
 * real store, a written chunk is done only once committed; a commit is due as soon as something waits.
 */
final class MemoryStores implements StoreFactory {
    final Map<String, DownloadRequest> requests = new ConcurrentHashMap<>();
    final Map<String, MemoryStore> open = new ConcurrentHashMap<>();
    final List<MemoryStore> all = new CopyOnWriteArrayList<>();
    final List<String> forgotten = new CopyOnWriteArrayList<>();
    final List<Recovered> recoverable = new CopyOnWriteArrayList<>();
    /** Bytes of folders on "disk": staging folders and installed copies. */
    final Map<Path, Map<String, byte[]>> folders = new ConcurrentHashMap<>();
    final Map<String, LocalCopy> installed = new ConcurrentHashMap<>();
    volatile long freeBytes = Long.MAX_VALUE;
    /** Writes fail as a full disk after this many (negative: never). */
    volatile int failWritesAfter = -1;
    final AtomicInteger writes = new AtomicInteger();
    /** Commits fail as on a full disk. */
    volatile boolean failCommits;

    @Override
    public void saveRequest(String downloadId, DownloadRequest request) {
        requests.put(downloadId, request);
    }

    @Override
    public DownloadStore open(String downloadId, DownloadRequest request, GameManifest manifest) {
        MemoryStore store = new MemoryStore(downloadId, manifest, new BitSet());
        MemoryStore previous = open.put(downloadId, store);
        if (previous != null) {
            previous.closed = true;
        }
        all.add(store);
        return store;
    }

    /** A store a previous run left, with chunks {@code done} already in place (from {@code game}). */
    MemoryStore leftOver(String downloadId, FakeGame game, BitSet done) {
        MemoryStore store = new MemoryStore(downloadId, game.manifest(), done);
        for (int i = done.nextSetBit(0); i >= 0; i = done.nextSetBit(i + 1)) {
            Chunk chunk = store.layout.chunk(i);
            System.arraycopy(game.files.get(chunk.path()), (int) chunk.offset(), store.files.get(chunk.path()),
                    (int) chunk.offset(), chunk.length());
        }
        open.put(downloadId, store);
        all.add(store);
        recoverable.add(new Recovered(downloadId, new DownloadRequest(game.id, null, null), Optional.of(store)));
        return store;
    }

    void installedCopy(FakeGame game) {
        Path folder = Path.of("/mem/installed", game.id);
        folders.put(folder, game.files);
        installed.put(game.id, new LocalCopy(folder, game.manifest(), null));
    }

    @Override
    public List<Recovered> recover() {
        return List.copyOf(recoverable);
    }

    @Override
    public void forget(String downloadId) {
        forgotten.add(downloadId);
        requests.remove(downloadId);
    }

    @Override
    public Optional<LocalCopy> installed(String gameId) {
        return Optional.ofNullable(installed.get(gameId));
    }

    @Override
    public long freeBytes() {
        return freeBytes;
    }

    @Override
    public Path stagingFolder(DownloadStore store) {
        return ((MemoryStore) store).folder;
    }

    final class MemoryStore implements DownloadStore {
        final String id;
        final ChunkLayout layout;
        final Path folder;
        final Map<String, byte[]> files = new TreeMap<>();
        private final BitSet done;
        /** Written, not committed yet. */
        private final BitSet uncommitted = new BitSet();
        final AtomicInteger commits = new AtomicInteger();
        private long reused;
        volatile boolean installedNow;
        volatile boolean discarded;
        volatile boolean closed;

        MemoryStore(String id, GameManifest manifest, BitSet done) {
            this.id = id;
            this.layout = new ChunkLayout(manifest);
            this.done = (BitSet) done.clone();
            this.folder = Path.of("/mem/staging", manifest.gameId() + "-" + manifest.version());
            for (FileManifest file : manifest.files()) {
                if (!file.directory()) {
                    files.put(file.path(), new byte[(int) file.size()]);
                }
            }
            folders.put(folder, files);
        }

        @Override
        public String downloadId() {
            return id;
        }

        @Override
        public GameManifest manifest() {
            return layout.manifest();
        }

        @Override
        public ChunkLayout layout() {
            return layout;
        }

        @Override
        public synchronized BitSet done() {
            return (BitSet) done.clone();
        }

        @Override
        public synchronized void read(Chunk chunk, ByteBuffer target) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            target.put(files.get(chunk.path()), (int) chunk.offset(), chunk.length());
        }

        @Override
        public synchronized void unmark(int index) {
            done.clear(index);
        }

        @Override
        public synchronized BitSet recheck() throws IOException {
            commit();
            rechecks.incrementAndGet();
            BitSet bad = new BitSet();
            for (int i = done.nextSetBit(0); i >= 0; i = done.nextSetBit(i + 1)) {
                Chunk c = layout.chunk(i);
                ByteBuffer bytes = ByteBuffer.wrap(files.get(c.path()), (int) c.offset(), c.length()).slice();
                if (!layout.matches(i, ChunkVerifier.sha256(bytes))) {
                    bad.set(i);
                }
            }
            done.andNot(bad);
            return bad;
        }

        final AtomicInteger rechecks = new AtomicInteger();

        /** Changes a byte of a chunk in staging, as a failing disk would. */
        synchronized void corrupt(Chunk chunk) {
            files.get(chunk.path())[(int) chunk.offset()] ^= 0x5a;
        }

        @Override
        public synchronized long reusedBytes() {
            return reused;
        }

        @Override
        public void write(Chunk chunk, ByteBuffer data) throws IOException {
            int limit = failWritesAfter;
            if (limit >= 0 && writes.get() >= limit) {
                throw new IOException("No space left on device");
            }
            writes.incrementAndGet();
            ByteBuffer copy = data.duplicate();
            synchronized (this) {
                copy.get(files.get(chunk.path()), (int) chunk.offset(), chunk.length());
                uncommitted.set(chunk.index());
            }
        }

        @Override
        public synchronized void commit() throws IOException {
            if (failCommits && !uncommitted.isEmpty()) {
                throw new IOException("No space left on device");
            }
            if (!uncommitted.isEmpty()) {
                done.or(uncommitted);
                uncommitted.clear();
                commits.incrementAndGet();
            }
        }

        @Override
        public synchronized boolean uncommitted() {
            return !uncommitted.isEmpty();
        }

        @Override
        public boolean commitDue() {
            return uncommitted();
        }

        @Override
        public synchronized long reuse(List<LocalCopy> copies, BooleanSupplier cancelled) {
            long bytes = 0;
            for (int i = 0; i < layout.chunkCount(); i++) {
                if (done.get(i)) {
                    continue;
                }
                Chunk chunk = layout.chunk(i);
                byte[] hash = layout.fileOf(i).chunkHash(layout.chunkInFile(i));
                for (LocalCopy copy : copies) {
                    byte[] found = find(copy, hash);
                    if (found != null) {
                        System.arraycopy(found, 0, files.get(chunk.path()), (int) chunk.offset(), chunk.length());
                        done.set(i);
                        bytes += chunk.length();
                        break;
                    }
                }
            }
            reused += bytes;
            return bytes;
        }

        private byte[] find(LocalCopy copy, byte[] hash) {
            Map<String, byte[]> content = folders.get(copy.folder());
            if (content == null) {
                return null;
            }
            ChunkLayout theirs = new ChunkLayout(copy.manifest());
            for (int j = 0; j < theirs.chunkCount(); j++) {
                if ((copy.valid() == null || copy.valid().get(j)) && theirs.matches(j, hash)) {
                    Chunk c = theirs.chunk(j);
                    byte[] bytes = new byte[c.length()];
                    System.arraycopy(content.get(c.path()), (int) c.offset(), bytes, 0, c.length());
                    // verified again, as the real store does
                    if (java.util.Arrays.equals(ChunkVerifier.sha256(ByteBuffer.wrap(bytes)), hash)) {
                        return bytes;
                    }
                }
            }
            return null;
        }

        @Override
        public synchronized void install() throws IOException {
            commit();
            if (done.cardinality() != layout.chunkCount()) {
                throw new IllegalStateException("not complete: " + done.cardinality() + " of " + layout.chunkCount());
            }
            installedNow = true;
            open.remove(id, this);
        }

        @Override
        public void discard() {
            discarded = true;
            closed = true;
            open.remove(id, this);
        }

        @Override
        public void close() {
            try {
                commit();
            } catch (IOException e) {
                // as the real store: logged, those chunks are fetched again
            }
            closed = true;
        }

        Map<String, byte[]> bytes() {
            return new TreeMap<>(files);
        }

        List<String> differences(FakeGame expected) {
            List<String> wrong = new ArrayList<>();
            expected.files.forEach((path, bytes) -> {
                if (!java.util.Arrays.equals(bytes, files.get(path))) {
                    wrong.add(path);
                }
            });
            return wrong;
        }
    }
}
