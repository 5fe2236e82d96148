package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/**
 * Builds a game's manifest from an observed tree: files whose size and mtime match a cached entry keep
 * their hashes, the others are read once. Each file is stat'ed before and after it is read; one that
 * changed meanwhile (still being copied) leaves the manifest incomplete. Runs on the hashing thread only.
 */
final class GameHasher {

    private static final Logger LOG = LoggerFactory.getLogger(GameHasher.class);

    private final int chunkSize;
    private final ChunkHasher chunks;
    private ManifestCache cache;

    GameHasher(ManifestCache cache, int chunkSize, AtomicLong hashedBytes) {
        this.cache = cache;
        this.chunkSize = chunkSize;
        this.chunks = new ChunkHasher(chunkSize, hashedBytes);
    }

    ManifestCache cache() {
        return cache;
    }

    /** Moves to another state directory (the old cache files stay where they are). */
    void useCache(ManifestCache next) {
        cache = next;
    }

    /**
     * @param abandon checked between files and reads: true when the observation is outdated (the game
     *                changed again) or the library is closing. The files hashed so far are still cached;
     *                the result then has no manifest.
     */
    HashResult hash(Path gamesDir, ScannedGame scanned, BooleanSupplier abandon) {
        String id = scanned.id();
        Path root = gamesDir.resolve(id);
        ManifestFile.Content cached = cache.get(id);
        Map<String, HashedEntry> known = new HashMap<>();
        for (HashedEntry entry : cached.entries()) {
            known.put(entry.stamp().path(), entry);
        }
        boolean servedBefore = cached.served() && sameStamps(cached.entries(), scanned.tree());
        List<HashedEntry> entries = new ArrayList<>(scanned.tree().size());
        boolean unstable = false;
        boolean unreadable = false;
        boolean abandoned = false;
        for (TreeEntry stamp : scanned.tree()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("hashing interrupted");
            }
            if (abandon.getAsBoolean()) {
                abandoned = true;
                break;
            }
            HashedEntry hit = known.get(stamp.path());
            if (hit != null && hit.stamp().equals(stamp)) {
                entries.add(hit);
            } else if (stamp.directory()) {
                entries.add(new HashedEntry(stamp, FileManifest.directory(stamp.path())));
            } else {
                Path file = root.resolve(stamp.path());
                try {
                    if (!stamp.matches(stat(file))) {
                        unstable = true;
                        continue;
                    }
                    FileManifest manifest = chunks.hash(file, stamp.path(), stamp.size(), abandon);
                    if (!stamp.matches(stat(file))) {
                        unstable = true;
                        continue;
                    }
                    entries.add(new HashedEntry(stamp, manifest));
                } catch (NoSuchFileException e) {
                    unstable = true;
                } catch (CancellationException e) {
                    abandoned = true;
                    break;
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("hashing interrupted");
                    }
                    LOG.warn("game {} not listed: cannot hash {}: {}", id, file, e.toString());
                    unreadable = true;
                }
            }
        }
        boolean complete = !unstable && !unreadable && !abandoned;
        // kept even when incomplete, so the files hashed so far are not read again
        cache.put(new ManifestFile.Content(id, servedBefore && complete, entries));
        if (!complete) {
            return new HashResult(gamesDir, scanned, null, false, unstable);
        }
        List<FileManifest> files = entries.stream().map(HashedEntry::manifest).toList();
        GameManifest manifest = new GameManifest(id, scanned.game().version(), chunkSize, files);
        return new HashResult(gamesDir, scanned, manifest, servedBefore, false);
    }

    /** Records that exactly this tree is now listed, so a restart over it lists it without waiting. */
    void markServed(String gameId, List<TreeEntry> tree) {
        ManifestFile.Content cached = cache.get(gameId);
        if (!cached.served() && sameStamps(cached.entries(), tree)) {
            cache.put(new ManifestFile.Content(gameId, true, cached.entries()));
        }
    }

    private static boolean sameStamps(List<HashedEntry> entries, List<TreeEntry> tree) {
        if (entries.size() != tree.size()) {
            return false;
        }
        for (int i = 0; i < tree.size(); i++) {
            if (!entries.get(i).stamp().equals(tree.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static BasicFileAttributes stat(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
