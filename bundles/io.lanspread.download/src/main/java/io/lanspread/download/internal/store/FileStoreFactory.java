package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;

/**
 * Stores on the local disk: journals in {@code <stateDir>/downloads/<downloadId>/}, staging folders in
 * {@code <gamesDir>/.lanspread-tmp/<gameId>@<version>/}, install records in
 * {@code <stateDir>/installed/<gameId>.manifest}. Every method runs on the calling thread and may block on
 * disk I/O: call it from the download's own worker, never from a network thread. Call {@link #recover()}
 * once, before any {@link #open}: it cleans up the leftovers of downloads that have no journal.
 */
public class FileStoreFactory implements StoreFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FileStoreFactory.class);

    private final Path downloadsDir;
    private final LocalLibrary library;
    private final InstalledRecords records;
    private final Installer installer;
    private final CommitPolicy commits;
    /** The store each download uses now; a download that switched version has dropped its old one. */
    private final Map<String, FileDownloadStore> current = new ConcurrentHashMap<>();
    private final Object installLock = new Object();

    public FileStoreFactory(Path stateDir, LocalLibrary library) {
        this(stateDir, library, Installer.Mover.ATOMIC);
    }

    FileStoreFactory(Path stateDir, LocalLibrary library, Installer.Mover mover) {
        this(stateDir, library, mover, CommitPolicy.DEFAULT);
    }

    FileStoreFactory(Path stateDir, LocalLibrary library, Installer.Mover mover, CommitPolicy commits) {
        this.downloadsDir = stateDir.resolve("downloads");
        this.library = library;
        this.records = new InstalledRecords(stateDir);
        this.installer = new Installer(mover);
        this.commits = commits;
    }

    @Override
    public void saveRequest(String downloadId, DownloadRequest request) throws IOException {
        StagingFolder.gameDir(library, request.gameId()); // refuses an unsafe game id before anything is kept
        new Journal(downloadsDir, downloadId).saveRequest(request);
    }

    /**
     * {@inheritDoc} Starts from an empty staging folder. Opening again for the same download (a switch to
     * another version) drops the download's previous store: it may still be read as a {@link LocalCopy}
     * (folder {@link #stagingFolder}, its manifest and done chunks) for reuse and must then be discarded.
     *
     * @throws IllegalStateException when another download stages the same game version
     */
    @Override
    public DownloadStore open(String downloadId, DownloadRequest request, GameManifest manifest) throws IOException {
        if (!manifest.gameId().equals(request.gameId())) {
            throw new IllegalArgumentException("the manifest of " + manifest.gameId() + " is not for " + request.gameId());
        }
        Journal journal = new Journal(downloadsDir, downloadId);
        StagingFolder staging = StagingFolder.plan(library, manifest);
        synchronized (current) { // one open at a time: two downloads never claim the same staging folder
            for (FileDownloadStore other : current.values()) {
                if (other.stagingRoot().equals(staging.root()) && !other.downloadId().equals(downloadId)) {
                    throw new IllegalStateException(manifest.gameId() + " " + manifest.version()
                            + " is already being downloaded by download " + other.downloadId());
                }
            }
            FileDownloadStore previous = current.remove(downloadId);
            if (previous != null) {
                previous.close();
            }
            journal.saveRequest(request);
            journal.saveManifest(manifest);
            TempFolders.deleteTree(staging.root()); // left by a download that is gone, or by an older manifest
            staging.prepare();
            FileDownloadStore store = new FileDownloadStore(this, journal, request, new ChunkLayout(manifest), staging,
                    MarkLog.open(journal.marks()), new BitSet(), commits);
            current.put(downloadId, store);
            return store;
        }
    }

    @Override
    public List<Recovered> recover() {
        List<Found> found = new ArrayList<>();
        for (Path dir : journalDirs()) {
            Found f = read(dir);
            if (f != null) {
                found.add(f);
            }
        }
        Set<String> keep = new HashSet<>();
        for (Found f : found) {
            if (f.staging != null) {
                keep.add(f.staging.root().getFileName().toString());
            }
        }
        TempFolders.cleanLeftovers(library.gameDirectory(), keep);
        List<Recovered> recovered = new ArrayList<>();
        for (Found f : found) {
            recovered.add(new Recovered(f.journal.downloadId(), f.request, Optional.ofNullable(reopen(f))));
        }
        return recovered;
    }

    private List<Path> journalDirs() {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(downloadsDir)) {
            return dirs;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(downloadsDir)) {
            entries.forEach(dirs::add);
        } catch (IOException e) {
            LOG.warn("cannot list the saved downloads in {}: {}", downloadsDir, e.toString());
        }
        return dirs;
    }

    /** A journal's request and manifest, or null when it is unusable (then it is deleted). */
    private Found read(Path dir) {
        Journal journal;
        DownloadRequest request;
        try {
            journal = new Journal(downloadsDir, dir.getFileName().toString());
            request = journal.readRequest();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("forgetting the saved download in {}: its request cannot be read ({})", dir, e.toString());
            TempFolders.deleteQuietly(dir);
            return null;
        }
        GameManifest manifest = null;
        StagingFolder staging = null;
        try {
            manifest = journal.readManifest().orElse(null);
            if (manifest != null) {
                staging = StagingFolder.plan(library, manifest);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("download {} starts over: its saved manifest cannot be used ({})", journal.downloadId(), e.toString());
            manifest = null;
        }
        if (staging != null && journal.installing() && finishInterruptedInstall(journal, manifest, staging)) {
            return null;
        }
        return new Found(journal, request, manifest, staging);
    }

    /** A crash between the swap and the journal's removal: the new copy is installed; finish the books. */
    private boolean finishInterruptedInstall(Journal journal, GameManifest manifest, StagingFolder staging) {
        if (Files.exists(staging.root(), LinkOption.NOFOLLOW_LINKS)) {
            try {
                journal.clearInstalling(); // the swap did not happen: still a download
            } catch (IOException e) {
                LOG.warn("cannot clear the install marker of download {}: {}", journal.downloadId(), e.toString());
            }
            return false;
        }
        try {
            records.save(manifest);
        } catch (IOException e) {
            LOG.warn("cannot record the installed manifest of {}: {}", manifest.gameId(), e.toString());
        }
        LOG.info("download {} of {} had been installed when the previous run stopped", journal.downloadId(),
                manifest.gameId());
        journal.delete();
        return true;
    }

    /** The store of a found download, its marked chunks verified again; null without a manifest. */
    private FileDownloadStore reopen(Found f) {
        if (f.manifest == null) {
            return null;
        }
        ChunkLayout layout = new ChunkLayout(f.manifest);
        try {
            f.staging.prepare();
            BitSet marked = f.journal.readMarks(layout.chunkCount());
            BitSet good = new ChunkRehasher(layout).verify(marked,
                    index -> f.staging.file(layout.fileIndexOf(index)).local());
            if (!good.equals(marked)) {
                LOG.info("download {}: {} of {} saved chunks no longer match and will be fetched again",
                        f.journal.downloadId(), marked.cardinality() - good.cardinality(), marked.cardinality());
                MarkLog.rewrite(f.journal.marks(), good);
            }
            FileDownloadStore store = new FileDownloadStore(this, f.journal, f.request, layout, f.staging,
                    MarkLog.open(f.journal.marks()), good, commits);
            current.put(f.journal.downloadId(), store);
            return store;
        } catch (IOException e) {
            LOG.warn("download {} starts over: its staging folder {} cannot be used ({})", f.journal.downloadId(),
                    f.staging.root(), e.toString());
            return null;
        }
    }

    @Override
    public void forget(String downloadId) {
        FileDownloadStore store = current.get(downloadId);
        if (store != null) {
            store.discard();
            return;
        }
        Journal journal = new Journal(downloadsDir, downloadId);
        try {
            Optional<GameManifest> manifest = journal.readManifest();
            if (manifest.isPresent()) {
                Path root = StagingFolder.plan(library, manifest.get()).root();
                if (current.values().stream().noneMatch(s -> s.stagingRoot().equals(root))) {
                    TempFolders.deleteQuietly(root);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("download {} kept no usable manifest: {}", downloadId, e.toString());
        }
        journal.delete();
    }

    /**
     * Deletes a discarded store's staging folder and journal. A store that the download left for another one
     * (a version switch) keeps the journal, now the new store's, and a staging folder the new one reuses.
     */
    void discarded(FileDownloadStore store) {
        if (current.remove(store.downloadId(), store)) {
            TempFolders.deleteQuietly(store.stagingRoot());
            store.journal().delete();
        } else if (current.values().stream().noneMatch(s -> s.stagingRoot().equals(store.stagingRoot()))) {
            TempFolders.deleteQuietly(store.stagingRoot());
        }
    }

    /** See {@link DownloadStore#install()}. */
    void install(FileDownloadStore store) throws IOException {
        GameManifest manifest = store.manifest();
        String gameId = manifest.gameId();
        synchronized (installLock) {
            store.staging().close();
            // the player's own files are those that lanspread did not install; without a record of the installed
            // version (a game copied in by hand) every file the library lists counts as the game's
            GameManifest listed = library.manifest(gameId).orElse(null);
            GameManifest previous = records.read(gameId)
                    .filter(recorded -> listed == null || recorded.version().equals(listed.version()))
                    .orElse(listed);
            installer.complete(store.staging(), manifest, previous);
            // every chunk was verified against this manifest: the library need not read the game again
            library.adopt(manifest, store.staging().root());
            store.journal().markInstalling();
            Path parked;
            try {
                parked = installer.swap(store.staging());
            } catch (IOException e) {
                store.journal().clearInstalling();
                throw e;
            }
            try {
                records.save(manifest);
            } catch (IOException e) {
                LOG.warn("{} is installed, but its manifest could not be recorded: an update will not tell the"
                        + " player's files from the game's ({})", gameId, e.toString());
            }
            current.remove(store.downloadId(), store);
            store.journal().delete();
            if (parked != null) {
                TempFolders.deleteQuietly(parked);
            }
        }
    }

    @Override
    public Optional<LocalCopy> installed(String gameId) {
        Path gameDir;
        try {
            gameDir = StagingFolder.gameDir(library, gameId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!Files.isDirectory(gameDir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Optional<GameManifest> hashed = library.manifest(gameId).filter(m -> m.gameId().equals(gameId));
        if (hashed.isPresent()) {
            return Optional.of(new LocalCopy(gameDir, hashed.get(), null));
        }
        // Just installed and not hashed by the library yet: what lanspread installed there will do, since
        // every reused chunk is hashed again against the new manifest before it counts.
        return records.read(gameId).filter(m -> m.gameId().equals(gameId)).map(m -> new LocalCopy(gameDir, m, null));
    }

    @Override
    public long freeBytes() throws IOException {
        Path existing = TempFolders.root(library.gameDirectory());
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("the games folder " + library.gameDirectory() + " does not exist");
        }
        return Files.getFileStore(existing).getUsableSpace();
    }

    @Override
    public Path stagingFolder(DownloadStore store) {
        return ((FileDownloadStore) store).stagingRoot();
    }

    private record Found(Journal journal, DownloadRequest request, GameManifest manifest, StagingFolder staging) {
    }
}
