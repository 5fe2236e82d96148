package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.Game;

/**
 * Finds the games in a game directory and walks their trees (sizes and mtimes, for the listing gate and
 * the hasher). A game is a direct, non-hidden subfolder (not a link) holding a regular file
 * {@code version.ini}. Holds no lock while walking; concurrent scans are allowed.
 *
 * <p>Results are cached per game folder, keyed by the {@code version.ini}'s size and modification time
 * and the folder's modification time, so a periodic rescan of a large library stays cheap. A change deep
 * inside a game that touches neither is only seen once the entry is older than the allowed age, which is
 * why callers pass {@link Duration#ZERO} when they need the truth now.
 */
final class LibraryScanner {

    static final String VERSION_FILE = "version.ini";

    private static final Logger LOG = LoggerFactory.getLogger(LibraryScanner.class);

    private record Key(FileTime iniModified, long iniSize, FileTime folderModified) {
    }

    /** {@code game} is null when the folder was looked at and is not a game. */
    private record Entry(Key key, ScannedGame game, long scannedAtNanos) {
    }

    private final Map<Path, Entry> cache = new ConcurrentHashMap<>();

    /**
     * @param gamesDir absolute game directory
     * @param maxAge   how old a cached result may be; {@link Duration#ZERO} reads everything again
     * @return the games sorted by id
     */
    List<ScannedGame> scan(Path gamesDir, Duration maxAge) {
        return scan(gamesDir, maxAge, Set.of());
    }

    /**
     * @param fresh ids of game folders that are read again whatever their cache entry says (a watch
     *              event saw something change inside)
     */
    List<ScannedGame> scan(Path gamesDir, Duration maxAge, Set<String> fresh) {
        List<ScannedGame> games = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(gamesDir)) {
            for (Path folder : folders) {
                String id = folder.getFileName().toString();
                if (id.startsWith(".") || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                seen.add(folder);
                scanFolder(folder, id, fresh.contains(id) ? Duration.ZERO : maxAge).ifPresent(games::add);
            }
        } catch (NoSuchFileException e) {
            LOG.warn("game directory {} does not exist", gamesDir);
        } catch (IOException e) {
            LOG.warn("cannot list game directory {}: {}", gamesDir, e.toString());
        }
        cache.keySet().removeIf(path -> !seen.contains(path));
        games.sort(Comparator.comparing(ScannedGame::id));
        return List.copyOf(games);
    }

    private Optional<ScannedGame> scanFolder(Path folder, String id, Duration maxAge) {
        Path ini = folder.resolve(VERSION_FILE);
        BasicFileAttributes iniAttrs;
        BasicFileAttributes folderAttrs;
        try {
            folderAttrs = Files.readAttributes(folder, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            iniAttrs = Files.readAttributes(ini, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            cache.remove(folder);
            return Optional.empty(); // no version.ini: still being copied or downloaded
        }
        if (!iniAttrs.isRegularFile()) {
            cache.remove(folder);
            return Optional.empty();
        }
        Key key = new Key(iniAttrs.lastModifiedTime(), iniAttrs.size(), folderAttrs.lastModifiedTime());
        long now = System.nanoTime();
        Entry cached = cache.get(folder);
        if (cached != null && cached.key().equals(key) && now - cached.scannedAtNanos() < maxAge.toNanos()) {
            return Optional.ofNullable(cached.game());
        }
        ScannedGame game = readGame(folder, ini, id, now);
        cache.put(folder, new Entry(key, game, now));
        return Optional.ofNullable(game);
    }

    private static ScannedGame readGame(Path folder, Path ini, String id, long now) {
        Optional<VersionIni.Content> content;
        try {
            content = VersionIni.read(ini);
        } catch (IOException e) {
            LOG.warn("game {} not listed: cannot read {}: {}", id, ini, e.toString());
            return null;
        }
        if (content.isEmpty()) {
            LOG.warn("game {} not listed: {} holds no version", id, ini);
            return null;
        }
        List<TreeEntry> tree;
        try {
            tree = GameTree.entries(folder);
        } catch (IOException e) {
            LOG.warn("game {} not listed: cannot walk {}: {}", id, folder, e.toString());
            return null;
        }
        long size = 0;
        for (TreeEntry entry : tree) {
            size += entry.size();
        }
        return new ScannedGame(new Game(id, content.get().name().orElse(id), content.get().version(), size), tree, now);
    }
}
