package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LibraryListener;
import io.lanspread.api.game.LocalLibrary;

/**
 * The local library: scans the game directory right after activation (on its scan thread, not the
 * activating one), shortly after a watched change settles, periodically (the fallback) and on
 * {@link #rescan()}, and publishes each result as an immutable snapshot. Readers never wait for a scan or for hashing. Each scan's observations go to the
 * {@link ListingGate}, which lists a game only once its tree has stayed the same for the serve quiet
 * period and its manifest, computed on the component's hash thread and cached in the state directory,
 * is complete. A change of the game directory through Config Admin takes effect in place (the service
 * stays registered, the watcher moves). Every {@link LibraryListener} service is told about each new
 * revision on this component's own notification thread.
 */
@Component(name = GameLibrary.PID, service = LocalLibrary.class)
@Designate(ocd = GameLibrary.Config.class)
public final class GameLibrary implements LocalLibrary {

    static final String PID = "io.lanspread.catalog";

    /** Periodic scans re-walk a game whose version.ini looks unchanged after this many intervals. */
    private static final int CACHE_INTERVALS = 10;

    /** Watch-driven scans re-read the touched games; the others' cached results may be this old. */
    private static final Duration WATCH_CACHE_AGE = Duration.ofMinutes(5);

    /** A folder that never settles (a game writing its logs) is still scanned this often. */
    private static final Duration MAX_DEFER = Duration.ofSeconds(5);

    /** A file changed while it was hashed: look at its game again after this long. */
    private static final Duration UNSTABLE_RETRY = Duration.ofMillis(500);

    @ObjectClassDefinition(name = "lanspread game library",
            description = "The folder whose subfolders holding a version.ini are shared as games.")
    public @interface Config {
        @AttributeDefinition(name = "Game directory",
                description = "Absolute path, or relative to the working directory. Created when missing.")
        String games_dir() default "games";

        @AttributeDefinition(name = "State directory",
                description = "Where the manifest cache is kept (in manifests/). Absolute path, or relative to the working directory.")
        String state_dir() default ".lanspread";

        @AttributeDefinition(name = "Rescan interval (seconds)",
                description = "How often the game directory is scanned again; 0 or less turns periodic scans off.")
        long rescan_interval_seconds() default 30;

        @AttributeDefinition(name = "Watch the game directory",
                description = "Rescan a game shortly after its files change (inotify); periodic scans stay as the fallback.")
        boolean watch_enabled() default true;

        @AttributeDefinition(name = "Quiet period (milliseconds)",
                description = "How long a game folder must be left alone after a change before it is scanned again.")
        long watch_quiet_millis() default 400;

        @AttributeDefinition(name = "Serve quiet period (seconds)",
                description = "A game is listed (and served) only once none of its files changed for this long and its manifest is complete; a listed game whose files change is withdrawn until then.")
        double serve_quiet_seconds() default 3;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GameLibrary.class);

    private final LibraryScanner scanner = new LibraryScanner();
    private final AtomicLong hashedBytes = new AtomicLong();
    private final AtomicInteger fullScansQueued = new AtomicInteger();
    private final AtomicReference<LibrarySnapshot> snapshot;
    private final ListingGate gate; // guarded by itself
    private final GameHasher hasher; // hash thread only
    private final ScheduledExecutorService scheduler;
    private final ExecutorService watchThread;
    private final ExecutorService notifier;
    private final ExecutorService hashThread;
    private final List<LibraryListener> listeners = new CopyOnWriteArrayList<>();
    private final QuietPeriod settling;
    private volatile boolean closing;
    private volatile Path gamesDir;
    private volatile Path stateDir;
    private volatile Duration cacheAge = Duration.ZERO;
    private ScheduledFuture<?> periodic; // guarded by this
    private long intervalSeconds = Long.MIN_VALUE; // guarded by this
    private LibraryWatcher watcher; // guarded by this
    private long lastAnnounced = Long.MIN_VALUE; // notifier thread only

    @Activate
    public GameLibrary(Config config) {
        gamesDir = directoryOf(config.games_dir(), "games");
        stateDir = directoryOf(config.state_dir(), ".lanspread");
        // seeded with the clock so that the revision keeps growing across restarts of this peer
        snapshot = new AtomicReference<>(LibrarySnapshot.empty(gamesDir, System.currentTimeMillis()));
        gate = new ListingGate(gamesDir, serveQuietNanosOf(config));
        hasher = new GameHasher(new ManifestCache(manifestDirOf(stateDir), GameManifest.CHUNK_SIZE),
                GameManifest.CHUNK_SIZE, hashedBytes);
        scheduler = Executors.newSingleThreadScheduledExecutor(named("lanspread-catalog-scan"));
        watchThread = Executors.newSingleThreadExecutor(named("lanspread-catalog-watch"));
        notifier = Executors.newSingleThreadExecutor(named("lanspread-catalog-notify"));
        hashThread = Executors.newSingleThreadExecutor(named("lanspread-catalog-hash"));
        settling = new QuietPeriod(quietOf(config), MAX_DEFER);
        createDirectory(gamesDir);
        Path prunedDir = gamesDir;
        onHashThread(() -> hasher.cache().prune(prunedDir));
        // the first walk runs on the scan thread: a large or slow games folder must not hold up activation
        // (nor whoever waits for this service); the library is listed empty until then, as it is anyway
        // until its games are hashed
        scanSoon();
        schedule(config.rescan_interval_seconds());
        watch(config.watch_enabled());
    }

    @Modified
    void modified(Config config) {
        Path dir = directoryOf(config.games_dir(), "games");
        Path state = directoryOf(config.state_dir(), ".lanspread");
        settling.setTimes(quietOf(config), MAX_DEFER);
        if (!state.equals(stateDir)) {
            LOG.info("state directory changed from {} to {}", stateDir, state);
            stateDir = state;
            onHashThread(() -> hasher.useCache(new ManifestCache(manifestDirOf(state), GameManifest.CHUNK_SIZE)));
        }
        synchronized (gate) {
            gate.setQuietNanos(serveQuietNanosOf(config));
            afterGateChange(); // a shorter quiet period may list games at once
        }
        if (!dir.equals(gamesDir)) {
            LOG.info("game directory changed from {} to {}", gamesDir, dir);
            gamesDir = dir;
            createDirectory(dir);
            synchronized (gate) {
                gate.moveTo(dir);
                afterGateChange();
            }
            scanSoon();
        }
        schedule(config.rescan_interval_seconds());
        watch(config.watch_enabled());
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
        }
        List<ExecutorService> executors = List.of(watchThread, scheduler, hashThread, notifier);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        closing = true; // a running hash ends at its next read; queued cache writes still complete
        hashThread.shutdown();
        for (ExecutorService executor : List.of(watchThread, scheduler, notifier)) {
            executor.shutdownNow();
        }
        try {
            if (!hashThread.awaitTermination(2, TimeUnit.SECONDS)) {
                hashThread.shutdownNow();
            }
            for (ExecutorService executor : executors) {
                if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("library threads did not stop within 5 s");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(name = "listener", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(LibraryListener listener) {
        listeners.add(listener);
    }

    void removeListener(LibraryListener listener) {
        listeners.remove(listener);
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
        return served(gameId).map(ServedGame::game);
    }

    @Override
    public List<GameFile> files(String gameId) {
        return served(gameId).orElseThrow(() -> new GameNotFoundException(gameId)).manifest().tree();
    }

    @Override
    public Optional<GameManifest> manifest(String gameId) {
        return served(gameId).map(ServedGame::manifest);
    }

    /**
     * Stamps the files here and now (the folder is renamed right after); the cache takes them on the hash
     * thread, ahead of any hashing the renamed game's scan asks for.
     */
    @Override
    public void adopt(GameManifest verified, Path folder) {
        if (verified.chunkSize() != GameManifest.CHUNK_SIZE) {
            return;
        }
        resolve(verified.gameId(), "version.ini"); // a valid game id, or UnsafePathException
        ManifestFile.Content entries = AdoptedManifest.entries(folder, verified);
        onHashThread(() -> hasher.cache().put(entries));
    }

    @Override
    public boolean isUnchanged(String gameId, String path) {
        LibrarySnapshot current = snapshot.get();
        ServedGame served = gameId == null ? null : current.served().get(gameId);
        TreeEntry stamp = served == null || path == null ? null : served.stamps().get(path);
        if (stamp == null) {
            return false;
        }
        try {
            // the path is one this library walked itself, so it needs no further checks
            return stamp.matches(Files.readAttributes(current.gamesDir().resolve(gameId).resolve(stamp.path()),
                    BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return false;
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

    /** Walks the game directory now; new or changed games are listed once quiet and hashed, later. */
    @Override
    public void rescan() {
        scan(Duration.ZERO, Set.of());
    }

    private Optional<ServedGame> served(String gameId) {
        return gameId == null ? Optional.empty() : Optional.ofNullable(snapshot.get().served().get(gameId));
    }

    /** Bytes read for hashing since activation; a cache hit reads none. */
    long hashedBytes() {
        return hashedBytes.get();
    }

    /** True when no full scan is queued and no game waits for its quiet period or its hashes. */
    boolean settled() {
        if (fullScansQueued.get() > 0) {
            return false;
        }
        synchronized (gate) {
            return gate.settled();
        }
    }

    /** True while a watcher is registered on the game directory and reading its events. */
    synchronized boolean watching() {
        return watcher != null && watcher.ready() && watcher.root().equals(gamesDir);
    }

    /** A watch event touched this game folder: rescan it once it has been quiet for a while. */
    void gameTouched(String gameId) {
        if (settling.touch(gameId, System.nanoTime())) {
            scanSettledLater(settling.quietNanos());
        }
    }

    /** Watch events were lost: rescan every game once things are quiet. */
    void everythingTouched() {
        gameTouched(QuietPeriod.ALL);
    }

    /** Walks without holding a lock, then lets the gate decide what is listed. */
    private void scan(Duration maxCacheAge, Set<String> fresh) {
        long started = System.nanoTime();
        Path dir = gamesDir;
        List<ScannedGame> found = scanner.scan(dir, maxCacheAge, fresh);
        synchronized (gate) {
            gate.observe(dir, found, started);
            afterGateChange();
        }
    }

    /** Publishes what the gate lists now and starts the work it asks for; called holding the gate's lock. */
    private void afterGateChange() {
        ListingGate.Work work = gate.takeWork();
        Path dir = gate.gamesDir();
        for (ScannedGame game : work.toHash()) {
            onHashThread(() -> hash(dir, game));
        }
        for (ScannedGame game : work.newlyListed()) {
            onHashThread(() -> hasher.markServed(game.id(), game.tree()));
        }
        for (String gameId : work.vanished()) {
            onHashThread(() -> forgetIfGone(dir, gameId));
        }
        long now = System.nanoTime();
        work.recheckAtNanos().forEach((gameId, at) -> scanGameLater(gameId, at - now));
        LibrarySnapshot current = snapshot.get();
        LibrarySnapshot next = current.next(dir, work.listed());
        if (next != current) {
            snapshot.set(next);
            LOG.info("library {}: {} games listed, revision {}", dir, next.games().size(), next.revision());
            announce(next.revision());
        }
    }

    /** On the hash thread: hashes what the observation holds unless a newer observation replaced it. */
    private void hash(Path dir, ScannedGame game) {
        if (closing || !isCurrent(dir, game)) {
            return;
        }
        HashResult result;
        try {
            result = hasher.hash(dir, game, () -> closing || !isCurrent(dir, game));
        } catch (CancellationException e) {
            return; // shutting down
        }
        synchronized (gate) {
            gate.hashed(result);
            afterGateChange();
        }
        if (result.unstable()) {
            scanGameLater(game.id(), UNSTABLE_RETRY.toNanos());
        }
    }

    private boolean isCurrent(Path dir, ScannedGame game) {
        synchronized (gate) {
            return gate.isCurrent(dir, game);
        }
    }

    private void forgetIfGone(Path dir, String gameId) {
        if (!Files.exists(dir.resolve(gameId), LinkOption.NOFOLLOW_LINKS)) {
            hasher.cache().remove(gameId);
        }
    }

    private void scanGameLater(String gameId, long delayNanos) {
        try {
            scheduler.schedule(() -> guarded(() -> scan(watchCacheAge(), Set.of(gameId))), Math.max(0, delayNanos),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("scan of {} not scheduled: shutting down", gameId);
        }
    }

    private void onHashThread(Runnable task) {
        try {
            hashThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("manifest work failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("manifest work not submitted: shutting down");
        }
    }

    /** Hands the new revision to the listeners bound now, on the notifier (never the scanning caller). */
    private void announce(long revision) {
        List<LibraryListener> targets = List.copyOf(listeners);
        if (targets.isEmpty()) {
            return;
        }
        try {
            notifier.execute(() -> deliver(revision, targets));
        } catch (RejectedExecutionException e) {
            LOG.debug("revision {} not announced: shutting down", revision);
        }
    }

    private void deliver(long revision, List<LibraryListener> targets) {
        if (revision <= lastAnnounced) {
            return; // a newer revision overtook this one; listeners only ever see revisions grow
        }
        lastAnnounced = revision;
        for (LibraryListener listener : targets) {
            if (!listeners.contains(listener)) {
                continue; // unbound meanwhile
            }
            try {
                listener.libraryChanged(revision);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("library listener {} failed on revision {}", listener, revision, e);
            }
        }
    }

    private synchronized void watch(boolean enabled) {
        if (watcher != null && (!enabled || !watcher.root().equals(gamesDir))) {
            watcher.close(); // its loop ends, freeing the watch thread for the next one
            watcher = null;
        }
        if (!enabled || watcher != null) {
            return;
        }
        LibraryWatcher.Sink sink = new LibraryWatcher.Sink() {
            @Override
            public void changed(String gameId) {
                gameTouched(gameId);
            }

            @Override
            public void everythingChanged() {
                everythingTouched();
            }

            @Override
            public void watching() {
                // covers changes made between the last scan and the end of the registration
                submitScan(() -> scan(watchCacheAge(), Set.of()));
            }
        };
        try {
            LibraryWatcher next = new LibraryWatcher(gamesDir, sink);
            watchThread.execute(next::run);
            watcher = next;
        } catch (IOException | RejectedExecutionException e) {
            LOG.warn("cannot watch {}: {}; relying on periodic scans", gamesDir, e.toString());
        }
    }

    private void scanSettledLater(long delayNanos) {
        try {
            scheduler.schedule(this::scanSettled, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("settled scan not scheduled: shutting down");
        }
    }

    private void scanSettled() {
        QuietPeriod.Due due = settling.takeDue(System.nanoTime());
        try {
            if (due.keys().contains(QuietPeriod.ALL)) {
                guarded(() -> scan(Duration.ZERO, Set.of()));
            } else if (!due.keys().isEmpty()) {
                guarded(() -> scan(watchCacheAge(), due.keys()));
            }
        } finally {
            if (due.nextNanos() >= 0) {
                scanSettledLater(due.nextNanos());
            }
        }
    }

    private Duration watchCacheAge() {
        Duration periodicAge = cacheAge;
        return periodicAge.compareTo(WATCH_CACHE_AGE) > 0 ? periodicAge : WATCH_CACHE_AGE;
    }

    /** A full walk on the scan thread, counted until it has reported to the gate (see {@link #settled()}). */
    private void scanSoon() {
        fullScansQueued.incrementAndGet();
        try {
            scheduler.execute(() -> {
                try {
                    guarded(() -> scan(Duration.ZERO, Set.of()));
                } finally {
                    fullScansQueued.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            fullScansQueued.decrementAndGet();
            LOG.debug("scan not submitted: shutting down");
        }
    }

    private void submitScan(Runnable scan) {
        try {
            scheduler.execute(() -> guarded(scan));
        } catch (RejectedExecutionException e) {
            LOG.debug("scan not submitted: shutting down");
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
        guarded(() -> scan(cacheAge, Set.of()));
    }

    private void guarded(Runnable scan) {
        try {
            scan.run();
        } catch (CancellationException e) {
            LOG.debug("scan stopped: shutting down");
        } catch (RuntimeException e) {
            // an escaping exception would silently end the periodic task
            LOG.warn("scan of {} failed", gamesDir, e);
        }
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static Duration quietOf(Config config) {
        return Duration.ofMillis(Math.max(0, config.watch_quiet_millis()));
    }

    private static long serveQuietNanosOf(Config config) {
        double seconds = config.serve_quiet_seconds();
        return Double.isNaN(seconds) || seconds <= 0 ? 0 : (long) (seconds * 1e9);
    }

    private static Path manifestDirOf(Path stateDir) {
        return stateDir.resolve("manifests");
    }

    private static Path directoryOf(String configured, String fallback) {
        if (configured == null || configured.isBlank()) {
            configured = fallback;
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
