package io.lanspread.catalog.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a game directory with a {@link WatchService} (inotify on Linux) and tells its {@link Sink}
 * which game folder changed. Watches are not recursive, so the game directory and every directory inside
 * each (non-hidden) game folder is registered, and directories that appear are registered as they come.
 * Symbolic links are not followed. {@link #run()} blocks until {@link #close()}.
 */
final class LibraryWatcher implements Closeable {

    /** Where the watcher reports; called on the watcher's thread, must return quickly. */
    interface Sink {
        /** Something inside (or the folder itself, or a file in the game directory of this name) changed. */
        void changed(String gameId);

        /** Events were lost (or the game directory itself went away): anything may have changed. */
        void everythingChanged();

        /** The initial registration is done; changes made before it may have gone unseen. */
        void watching();
    }

    private static final Logger LOG = LoggerFactory.getLogger(LibraryWatcher.class);

    private final Path root;
    private final Sink sink;
    private final WatchService service;
    private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private boolean limitWarned;

    LibraryWatcher(Path root, Sink sink) throws IOException {
        this.root = root;
        this.sink = sink;
        this.service = root.getFileSystem().newWatchService();
    }

    Path root() {
        return root;
    }

    /** True once the initial registration is done and events are being read. */
    boolean ready() {
        return ready;
    }

    /** Registers the whole tree, then reads events until closed. */
    void run() {
        registerTree(root);
        ready = true;
        sink.watching();
        processEvents();
    }

    /** Reads events until closed; each round takes every key that is ready, so an overflow is handled once. */
    void processEvents() {
        while (true) {
            List<WatchKey> batch = new ArrayList<>();
            try {
                batch.add(service.take());
                for (WatchKey more = service.poll(); more != null; more = service.poll()) {
                    batch.add(more);
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            boolean overflow = false;
            boolean rootGone = false;
            for (WatchKey key : batch) {
                Path dir = dirs.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == OVERFLOW) {
                        overflow = true;
                    } else if (dir != null && event.context() instanceof Path name) {
                        handle(dir, dir.resolve(name), event.kind());
                    }
                }
                if (!key.reset()) {
                    dirs.remove(key);
                    rootGone |= root.equals(dir);
                }
            }
            if (rootGone) {
                LOG.warn("game directory {} went away; only periodic scans will see it again", root);
                sink.everythingChanged();
                return;
            }
            if (overflow) {
                overflow();
            }
        }
    }

    /** Events were lost: registers whatever directory is not watched yet and asks for a full rescan. */
    void overflow() {
        LOG.info("watch events on {} overflowed; rescanning everything", root);
        registerTree(root);
        sink.everythingChanged();
    }

    /** The directories currently watched. */
    Set<Path> watchedDirectories() {
        return Set.copyOf(dirs.values());
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service of {}: {}", root, e.toString());
        }
    }

    private void handle(Path dir, Path child, WatchEvent.Kind<?> kind) {
        boolean topLevel = dir.equals(root);
        String name = child.getFileName().toString();
        if (topLevel && name.startsWith(".")) {
            return; // hidden entries of the game directory are never games
        }
        if (kind == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
            registerTree(child); // files may already be inside: the rescan that follows walks them
        }
        sink.changed(topLevel ? name : root.relativize(dir).getName(0).toString());
    }

    private void registerTree(Path start) {
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (root.equals(dir.getParent()) && dir.getFileName().toString().startsWith(".")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return register(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // vanished or unreadable: nothing to watch
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot walk {} to watch it: {}", start, e.toString());
        }
    }

    private boolean register(Path dir) {
        try {
            dirs.put(dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (ClosedWatchServiceException e) {
            return false;
        } catch (IOException e) {
            // typically the inotify watch limit (fs.inotify.max_user_watches)
            if (!limitWarned) {
                limitWarned = true;
                LOG.warn("cannot watch {}: {}; changes below it are seen by periodic scans only", dir, e.toString());
            }
            return false;
        }
    }
}
