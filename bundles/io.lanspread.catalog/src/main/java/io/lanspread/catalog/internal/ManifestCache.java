package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hashed entries of each game, in memory and in {@code <state dir>/manifests/}, one file per game
 * (see {@link ManifestFile}). A game's file is loaded the first time the game is hashed and rewritten
 * whenever its entries change, holding only the entries of the game's current tree (stale ones are
 * dropped). Confined to the hashing thread: no locks.
 */
final class ManifestCache {

    private static final Logger LOG = LoggerFactory.getLogger(ManifestCache.class);

    private final Path dir;
    private final int chunkSize;
    private final Map<String, ManifestFile.Content> loaded = new HashMap<>();

    ManifestCache(Path dir, int chunkSize) {
        this.dir = dir;
        this.chunkSize = chunkSize;
    }

    Path directory() {
        return dir;
    }

    /** The cached entries of a game (empty content when none or the file is unusable). */
    ManifestFile.Content get(String gameId) {
        return loaded.computeIfAbsent(gameId, id -> ManifestFile.read(ManifestFile.pathFor(dir, id), chunkSize, id)
                .orElseGet(() -> new ManifestFile.Content(id, false, List.of())));
    }

    /** Replaces a game's entries; written to disk only when they differ from what is cached. */
    void put(ManifestFile.Content content) {
        ManifestFile.Content old = get(content.gameId());
        if (old.served() == content.served() && sameEntries(old.entries(), content.entries())) {
            return;
        }
        loaded.put(content.gameId(), content);
        try {
            Files.createDirectories(dir);
            ManifestFile.write(ManifestFile.pathFor(dir, content.gameId()), chunkSize, content);
        } catch (IOException e) {
            LOG.warn("cannot save the manifest cache of {} in {}: {}", content.gameId(), dir, e.toString());
        }
    }

    /** Forgets a game whose folder is gone. */
    void remove(String gameId) {
        loaded.remove(gameId);
        delete(ManifestFile.pathFor(dir, gameId));
    }

    /**
     * Deletes leftovers: temporary files, files that are not cache files of this format, and caches of
     * games whose folder no longer exists in {@code gamesDir}.
     */
    void prune(Path gamesDir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(ManifestFile.TEMP_SUFFIX)) {
                    if (isOld(file)) {
                        delete(file); // left by a crash; a fresh one may be another instance's write
                    }
                    continue;
                }
                if (!name.endsWith(ManifestFile.SUFFIX)) {
                    continue; // not ours to judge
                }
                Optional<String> id = ManifestFile.readGameId(file, chunkSize);
                if (id.isEmpty() || !file.equals(ManifestFile.pathFor(dir, id.get()))
                        || !Files.isDirectory(gamesDir.resolve(id.get()), LinkOption.NOFOLLOW_LINKS)) {
                    delete(file);
                    id.ifPresent(loaded::remove);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot prune the manifest cache {}: {}", dir, e.toString());
        }
    }

    private static boolean sameEntries(List<HashedEntry> a, List<HashedEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            // a manifest object is reused for an unchanged stamp, so identity settles most comparisons
            HashedEntry x = a.get(i);
            HashedEntry y = b.get(i);
            if (!x.stamp().equals(y.stamp()) || (x.manifest() != y.manifest() && !x.manifest().sameContent(y.manifest()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOld(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() < System.currentTimeMillis() - 60_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
        }
    }
}
