package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;

/**
 * The local library: scans the game directory at activation, periodically and on {@link #rescan()}, and
 * publishes each result as an immutable snapshot. Readers never wait for a scan. A change of the game
 * directory through Config Admin takes effect in place (the service stays registered).
 */
@Component(name = GameLibrary.PID, service = LocalLibrary.class)
@Designate(ocd = GameLibrary.Config.class)
public final class GameLibrary implements LocalLibrary {

    static final String PID = "io.lanspread.catalog";

    /** Periodic scans re-walk a game whose version.ini looks unchanged after this many intervals. */
    private static final int CACHE_INTERVALS = 10;

    @ObjectClassDefinition(name = "lanspread game library",
            description = "The folder whose subfolders holding a version.ini are shared as games.")
    public @interface Config {
        @AttributeDefinition(name = "Game directory",
                description = "Absolute path, or relative to the working directory. Created when missing.")
        String games_dir() default "games";

        @AttributeDefinition(name = "Rescan interval (seconds)",
                description = "How often the game directory is scanned again; 0 or less turns periodic scans off.")
        long rescan_interval_seconds() default 30;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GameLibrary.class);

    private final LibraryScanner scanner = new LibraryScanner();
    private final AtomicLong tickets = new AtomicLong();
    private final AtomicReference<LibrarySnapshot> snapshot;
    private final ScheduledExecutorService scheduler;
    private volatile Path gamesDir;
    private volatile Duration cacheAge = Duration.ZERO;
    private ScheduledFuture<?> periodic; // guarded by this
    private long intervalSeconds = Long.MIN_VALUE; // guarded by this

    @Activate
    public GameLibrary(Config config) {
        gamesDir = directoryOf(config);
        // seeded with the clock so that the revision keeps growing across restarts of this peer
        snapshot = new AtomicReference<>(LibrarySnapshot.of(gamesDir, List.of(), System.currentTimeMillis(), 0));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lanspread-catalog-scan");
            thread.setDaemon(true);
            return thread;
        });
        createDirectory(gamesDir);
        scan(Duration.ZERO);
        schedule(config.rescan_interval_seconds());
    }

    @Modified
    void modified(Config config) {
        Path dir = directoryOf(config);
        if (!dir.equals(gamesDir)) {
            LOG.info("game directory changed from {} to {}", gamesDir, dir);
            gamesDir = dir;
            createDirectory(dir);
            scan(Duration.ZERO);
        }
        schedule(config.rescan_interval_seconds());
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("library scan did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Path gameDirectory() {
        return snapshot.get().gamesDir();
    }

    @Override
    public List<Game> games() {
        return snapshot.get().games();
    }

    @Override
    public Optional<Game> game(String gameId) {
        return gameId == null ? Optional.empty() : Optional.ofNullable(snapshot.get().byId().get(gameId));
    }

    @Override
    public List<GameFile> files(String gameId) throws IOException {
        LibrarySnapshot current = snapshot.get();
        if (gameId == null || !current.byId().containsKey(gameId)) {
            throw new GameNotFoundException(gameId);
        }
        try {
            return GameTree.list(current.gamesDir().resolve(gameId));
        } catch (NoSuchFileException e) {
            throw new GameNotFoundException(gameId); // removed since the last scan
        }
    }

    @Override
    public Path resolve(String gameId, String relativePath) {
        return SafePaths.resolve(snapshot.get().gamesDir(), gameId, relativePath);
    }

    @Override
    public long revision() {
        return snapshot.get().revision();
    }

    @Override
    public void rescan() {
        scan(Duration.ZERO);
    }

    /** Scans without holding a lock and publishes the result unless a later-started scan already did. */
    private void scan(Duration maxCacheAge) {
        long ticket = tickets.incrementAndGet();
        Path dir = gamesDir;
        List<Game> games = scanner.scan(dir, maxCacheAge);
        while (true) {
            LibrarySnapshot current = snapshot.get();
            if (current.ticket() > ticket) {
                return;
            }
            LibrarySnapshot next = current.next(dir, games, ticket);
            if (snapshot.compareAndSet(current, next)) {
                if (next.revision() != current.revision()) {
                    LOG.info("library {}: {} games, revision {}", dir, games.size(), next.revision());
                }
                return;
            }
        }
    }

    private synchronized void schedule(long seconds) {
        if (seconds == intervalSeconds) {
            return;
        }
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
        intervalSeconds = seconds;
        if (seconds <= 0) {
            LOG.info("periodic scans of the game directory are off");
            return;
        }
        cacheAge = Duration.ofSeconds(seconds).multipliedBy(CACHE_INTERVALS);
        periodic = scheduler.scheduleWithFixedDelay(this::periodicScan, seconds, seconds, TimeUnit.SECONDS);
    }

    private void periodicScan() {
        try {
            scan(cacheAge);
        } catch (CancellationException e) {
            LOG.debug("scan stopped: shutting down");
        } catch (RuntimeException e) {
            // an escaping exception would silently end the periodic task
            LOG.warn("scan of {} failed", gamesDir, e);
        }
    }

    private static Path directoryOf(Config config) {
        String configured = config.games_dir();
        if (configured == null || configured.isBlank()) {
            configured = "games";
        }
        return Paths.get(configured.strip()).toAbsolutePath().normalize();
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            LOG.warn("cannot create game directory {}: {}", dir, e.toString());
        }
    }
}
