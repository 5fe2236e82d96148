package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/**
 * Takes into a store what local copies already hold. First whole files: one whose manifest entry is
 * identical in a copy, with every chunk valid there, is hard-linked into staging (copied where links cannot
 * be made). Then single chunks: any chunk whose hash matches a valid chunk anywhere in a copy (another
 * path, another offset) is copied. Every reused byte is hashed again against the new manifest before it is
 * marked: a copy's files may have changed since its manifest was made.
 */
final class LocalReuse {
    private static final Logger LOG = LoggerFactory.getLogger(LocalReuse.class);
    /** Chunks copied between two forces (and journal appends): 32 MiB at 512 KiB chunks. */
    private static final int BATCH = 64;
    /** Places remembered per wanted hash, in case the first one turns out changed. */
    private static final int PLACES_PER_HASH = 4;

    private final FileDownloadStore store;
    private final ChunkLayout layout;
    private final ChunkRehasher rehasher;

    LocalReuse(FileDownloadStore store) {
        this.store = store;
        this.layout = store.layout();
        this.rehasher = new ChunkRehasher(layout);
    }

    long run(List<LocalCopy> copies, BooleanSupplier cancelled) throws IOException {
        Path own = store.stagingRoot().toAbsolutePath().normalize();
        // a copy in this store's own folder (the same version restaged) would be read while overwritten
        List<CopyView> views = copies.stream().filter(c -> !c.folder().toAbsolutePath().normalize().equals(own))
                .map(CopyView::new).toList();
        long reused = linkWholeFiles(views, cancelled);
        if (!cancelled.getAsBoolean()) {
            reused += copyChunks(views, cancelled);
        }
        return reused;
    }

    private long linkWholeFiles(List<CopyView> views, BooleanSupplier cancelled) throws IOException {
        long reused = 0;
        GameManifest manifest = layout.manifest();
        for (int f = 0; f < manifest.files().size() && !cancelled.getAsBoolean(); f++) {
            FileManifest entry = manifest.files().get(f);
            if (entry.directory() || entry.chunkCount() == 0 || allDone(f, entry)) {
                continue;
            }
            for (CopyView view : views) {
                Path source = view.identicalFile(entry);
                if (source != null && link(f, entry, source)) {
                    reused += markFile(f, entry);
                    break;
                }
            }
        }
        return reused;
    }

    /** Links {@code source} in and checks every chunk; on a mismatch the link is undone. */
    private boolean link(int fileIndex, FileManifest entry, Path source) throws IOException {
        StagedFile staged = store.staging().file(fileIndex);
        try {
            staged.linkTo(source);
        } catch (IOException e) {
            throw DiskErrors.writeFailed(entry.path() + " of " + layout.manifest().gameId(), store.stagingRoot(), e);
        }
        int first = layout.firstChunkOf(fileIndex);
        BitSet range = new BitSet();
        range.set(first, first + entry.chunkCount());
        BitSet good = rehasher.verify(range, index -> staged.local());
        if (good.cardinality() == entry.chunkCount()) {
            return true;
        }
        LOG.info("{} changed since its manifest was made; reusing what still matches chunk by chunk", source);
        staged.recreate();
        return false;
    }

    private long markFile(int fileIndex, FileManifest entry) throws IOException {
        int first = layout.firstChunkOf(fileIndex);
        List<Integer> todo = new ArrayList<>();
        for (int i = first; i < first + entry.chunkCount(); i++) {
            if (!store.isDone(i)) {
                todo.add(i);
            }
        }
        return store.markDurable(todo.stream().mapToInt(Integer::intValue).toArray(), true);
    }

    private boolean allDone(int fileIndex, FileManifest entry) {
        int first = layout.firstChunkOf(fileIndex);
        for (int i = first; i < first + entry.chunkCount(); i++) {
            if (!store.isDone(i)) {
                return false;
            }
        }
        return true;
    }

    private long copyChunks(List<CopyView> views, BooleanSupplier cancelled) throws IOException {
        Map<ByteBuffer, List<Place>> wanted = new HashMap<>();
        for (int i = 0; i < layout.chunkCount(); i++) {
            if (!store.isDone(i)) {
                wanted.putIfAbsent(hashKey(layout, i), new ArrayList<>(1));
            }
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        for (CopyView view : views) {
            view.collectPlaces(wanted);
        }
        long reused = 0;
        Map<Path, FileChannel> sources = new HashMap<>();
        List<Integer> pending = new ArrayList<>();
        Set<StagedFile> touched = new LinkedHashSet<>();
        try {
            for (int i = 0; i < layout.chunkCount() && !cancelled.getAsBoolean(); i++) {
                if (store.isDone(i)) {
                    continue;
                }
                List<Place> places = wanted.get(hashKey(layout, i));
                Chunk chunk = layout.chunk(i);
                for (Place place : places) {
                    ByteBuffer data = place.length == chunk.length() ? readVerified(sources, place, i) : null;
                    if (data != null) {
                        touched.add(store.writeUnforced(chunk, data));
                        pending.add(i);
                        break;
                    }
                }
                if (pending.size() >= BATCH) {
                    reused += flush(pending, touched);
                }
            }
            reused += flush(pending, touched);
        } finally {
            for (FileChannel channel : sources.values()) {
                channel.close();
            }
        }
        return reused;
    }

    private ByteBuffer readVerified(Map<Path, FileChannel> sources, Place place, int index) {
        FileChannel channel = sources.get(place.file);
        if (channel == null) {
            try {
                channel = FileChannel.open(place.file, StandardOpenOption.READ);
            } catch (IOException e) {
                return null;
            }
            sources.put(place.file, channel);
        }
        ByteBuffer data = rehasher.read(channel, place.offset, place.length);
        return data != null && rehasher.hashMatches(index, data) ? data : null;
    }

    /** Forces the touched files, then marks the chunks written into them: data before marks. */
    private long flush(List<Integer> pending, Set<StagedFile> touched) throws IOException {
        for (StagedFile file : touched) {
            file.force();
        }
        long bytes = store.markDurable(pending.stream().mapToInt(Integer::intValue).toArray(), true);
        pending.clear();
        touched.clear();
        return bytes;
    }

    private static ByteBuffer hashKey(ChunkLayout layout, int index) {
        return ByteBuffer.wrap(layout.fileOf(index).chunkHash(layout.chunkInFile(index)));
    }

    /** Where a wanted chunk's bytes might be found. */
    private record Place(Path file, long offset, int length) {
    }

    /** A local copy with its chunk numbering and its entries by path. */
    private static final class CopyView {
        private final LocalCopy copy;
        private final ChunkLayout layout;
        private final Map<String, Integer> fileIndex = new HashMap<>();

        CopyView(LocalCopy copy) {
            this.copy = copy;
            this.layout = new ChunkLayout(copy.manifest());
            List<FileManifest> files = copy.manifest().files();
            for (int f = 0; f < files.size(); f++) {
                fileIndex.put(files.get(f).path(), f);
            }
        }

        /** The copy's file with exactly this content and every chunk valid, or null. */
        Path identicalFile(FileManifest entry) {
            Integer f = fileIndex.get(entry.path());
            if (f == null || !copy.manifest().files().get(f).sameContent(entry)) {
                return null;
            }
            int first = layout.firstChunkOf(f);
            if (copy.valid() != null && copy.valid().nextClearBit(first) < first + entry.chunkCount()) {
                return null;
            }
            Path file = locate(entry.path());
            try {
                return file != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.size(file) == entry.size() ? file : null;
            } catch (IOException e) {
                return null;
            }
        }

        void collectPlaces(Map<ByteBuffer, List<Place>> wanted) {
            for (int j = 0; j < layout.chunkCount(); j++) {
                if (copy.valid() != null && !copy.valid().get(j)) {
                    continue;
                }
                List<Place> places = wanted.get(hashKey(layout, j));
                if (places == null || places.size() >= PLACES_PER_HASH) {
                    continue;
                }
                Chunk chunk = layout.chunk(j);
                Path file = locate(chunk.path());
                if (file != null) {
                    places.add(new Place(file, chunk.offset(), chunk.length()));
                }
            }
        }

        /** The file of {@code path} in the copy; a staging folder keeps version.ini as its part file. */
        private Path locate(String path) {
            Path folder = copy.folder().toAbsolutePath().normalize();
            Path file = folder.resolve(path).normalize();
            if (!file.startsWith(folder) || file.equals(folder)) {
                return null;
            }
            if (path.equals(StagingFolder.VERSION_INI) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return folder.resolve(StagingFolder.PART_NAME);
            }
            return file;
        }
    }
}
