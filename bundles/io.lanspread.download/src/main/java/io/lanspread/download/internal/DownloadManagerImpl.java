package io.lanspread.download.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadManager;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.PartialCopies;
import io.lanspread.api.game.PartialCopy;
import io.lanspread.api.game.UnsafePathException;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.download.internal.engine.DiskReservations;
import io.lanspread.download.internal.engine.Download;
import io.lanspread.download.internal.engine.EngineServices;
import io.lanspread.download.internal.engine.EngineSettings;
import io.lanspread.download.internal.notify.ListenerNotifier;
import io.lanspread.download.internal.planner.AdaptivePlanner;
import io.lanspread.download.internal.share.StagedCopy;
import io.lanspread.download.internal.store.FileStoreFactory;
import io.lanspread.download.internal.store.StoreFactory;
import io.lanspread.download.internal.verify.ChunkVerifier;

/**
 * The download manager: keeps the downloads (one per game at a time), owns the threads they run on, holds
 * the planner service (with a built-in adaptive planner standing in when there is none), tells the
 * {@link DownloadListener} services how downloads go, and hears the runtime's peer events (as a
 * {@link LanspreadEventListener}) so that sources come and go while downloads run. On activation it
 * recovers, in the background, the downloads a previous run left.
 */
@Component(name = DownloadManagerImpl.PID, service = { DownloadManager.class, LanspreadEventListener.class,
        PartialCopies.class })
@Designate(ocd = DownloadManagerImpl.Config.class)
public class DownloadManagerImpl implements DownloadManager, LanspreadEventListener, PartialCopies {
    static final String PID = "io.lanspread.download";
    private static final Logger LOG = LoggerFactory.getLogger(DownloadManagerImpl.class);

    @ObjectClassDefinition(name = "lanspread downloads", description = "How games are downloaded from peers.")
    public @interface Config {
        @AttributeDefinition(name = "State folder", description = "Where downloads keep their journals (request, manifest, verified chunks) to resume after a restart; read at activation.")
        String state_dir() default ".lanspread";

        @AttributeDefinition(name = "Chunks per source", description = "Chunks in flight per source (8 keeps the copies an endgame wastes small). They are asked for in calls of up to 16, and a source is refilled once at least 4 fit again (half of this, when smaller). Received chunks wait in memory until written: at most this many 512 KiB chunks per source.", min = "1")
        int chunks_per_source() default 8;

        @AttributeDefinition(name = "Attempts per chunk", description = "Failed tries of one chunk (wrong bytes or peer errors) before the download fails.", min = "1")
        int attempts_per_chunk() default 5;

        @AttributeDefinition(name = "Drop a peer after bad chunks", description = "Chunks that do not match the manifest after which a peer is no longer used for the download.", min = "1")
        int drop_after_bad_chunks() default 3;

        @AttributeDefinition(name = "Set a source aside after failures", description = "Failed requests in a row after which a source is not asked until it is seen again.", min = "1")
        int drop_after_failures() default 5;

        @AttributeDefinition(name = "Stall (s)", description = "A source that delivered nothing for this long while others deliver has its chunks requested from others too.", min = "1")
        int stall_seconds() default 2;

        @AttributeDefinition(name = "Waiting timeout (s)", description = "How long a download waits for a source before it is interrupted.", min = "1")
        int waiting_timeout_seconds() default 120;

        @AttributeDefinition(name = "Progress interval (ms)", min = "10")
        long progress_interval_millis() default 500;

        @AttributeDefinition(name = "Swarming", description = "A download shares the chunks it has verified with other peers while it runs, and fetches from the partial copies of other downloading peers (peers that have the agreed manifest). Off: only complete holders serve and are asked.")
        boolean swarm_enabled() default true;

        @AttributeDefinition(name = "Have-map refresh (ms)", description = "How often a swarming download asks the other peers which chunks of the game they hold (a small request; unchanged maps come back without bits).", min = "10")
        long swarm_have_refresh_millis() default 1000;

        @AttributeDefinition(name = "Planner", description = "Target filter for the download planner, e.g. (lanspread.planner.name=even).")
        String planner_target() default "(" + DownloadPlanner.NAME_PROPERTY + "=*)";
    }

    /**
     * The highest-ranked planner (or the one pinned by planner.target), read at each planning round. Optional:
     * the built-in adaptive planner stands in while there is none, so running downloads never stop.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DownloadPlanner planner;

    private final LocalLibrary library;
    private final PeerDirectory directory;
    private final StoreFactory stores;
    private final ThreadPoolExecutor workers;
    private final ExecutorService control;
    private final ExecutorService notifierThread;
    private final ScheduledThreadPoolExecutor timer;
    private final ListenerNotifier notifier;
    private final EngineServices services;
    private volatile EngineSettings settings;
    private volatile Path stateDir;
    private ScheduledFuture<?> ticking;

    private final Object lock = new Object();
    /** Every download, in the order it started or was recovered. */
    private final Map<String, Download> downloads = new LinkedHashMap<>();
    private boolean closed;

    @Activate
    public DownloadManagerImpl(@Reference(name = "library") LocalLibrary library,
            @Reference(name = "client") PeerClient client, @Reference(name = "directory") PeerDirectory directory,
            Config config) {
        this(library, client, directory, config, FileStoreFactory::new);
    }

    /** With another store (tests). */
    DownloadManagerImpl(LocalLibrary library, PeerClient client, PeerDirectory directory, Config config,
            BiFunction<Path, LocalLibrary, StoreFactory> storeFactory) {
        this.library = library;
        this.directory = directory;
        this.settings = settings(config);
        this.stateDir = Path.of(config.state_dir());
        this.stores = storeFactory.apply(stateDir, library);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("lanspread-download-worker-"));
        this.workers.allowCoreThreadTimeOut(true);
        this.control = Executors.newFixedThreadPool(2, threads("lanspread-download-"));
        this.notifierThread = Executors.newSingleThreadExecutor(threads("lanspread-download-news-"));
        this.timer = new ScheduledThreadPoolExecutor(1, threads("lanspread-download-timer-"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.notifier = new ListenerNotifier(notifierThread);
        this.services = new EngineServices(client, directory, library, stores, new ChunkVerifier(workers), notifier,
                workers, control, timer, () -> planner, new AdaptivePlanner(), System::nanoTime, new DiskReservations());
        scheduleTicks();
        workers.execute(this::recover); // re-hashes verified chunks: disk work
    }

    @Modified
    void modified(Config config) {
        settings = settings(config);
        active().forEach(d -> d.reconfigure(settings)); // running downloads go on with the new settings
        if (!Path.of(config.state_dir()).equals(stateDir)) {
            // the only setting that waits: running downloads keep their journals and staging folders open there,
            // and a new folder would hold none of them (moving them mid-download is a restart by another name)
            LOG.warn("state.dir changes take effect when the download manager restarts");
        }
        scheduleTicks();
    }

    @Deactivate
    void deactivate() {
        List<Download> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(downloads.values());
        }
        synchronized (this) {
            if (ticking != null) {
                ticking.cancel(false);
            }
        }
        try {
            CompletableFuture.allOf(all.stream().map(Download::stop).toArray(CompletableFuture[]::new))
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("downloads did not stop within 5 s", e);
        }
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("download workers still busy after 10 s; interrupting");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(Download::closeStore); // kept on disk for the next run
        control.shutdownNow();
        notifierThread.shutdown();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(DownloadListener listener) {
        notifier.add(listener);
    }

    void removeListener(DownloadListener listener) {
        notifier.remove(listener);
    }

    /** (Re)starts the progress tick at the configured rate, if a download is running. */
    private synchronized void scheduleTicks() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
        if (!active().isEmpty()) {
            long every = settings.progressMillis();
            ticking = timer.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Call after a download was added (not holding {@code lock}). */
    private synchronized void tickWhileActive() {
        if (ticking == null) {
            scheduleTicks();
        }
    }

    /** Whether the progress tick is scheduled; for tests. */
    synchronized boolean ticking() {
        return ticking != null;
    }

    /** The tick runs only while a download does: an idle peer has no timer waking it (issue 8, idle CPU). */
    private void tick() {
        List<Download> running = active();
        if (running.isEmpty()) {
            stopTicksWhenIdle();
        }
        running.forEach(Download::tick);
    }

    private synchronized void stopTicksWhenIdle() {
        if (ticking != null && active().isEmpty()) { // a download added since tick() looked keeps it going
            ticking.cancel(false);
            ticking = null;
        }
    }

    private void recover() {
        List<StoreFactory.Recovered> found;
        try {
            found = stores.recover();
        } catch (RuntimeException e) {
            LOG.warn("cannot look for downloads of a previous run", e);
            return;
        }
        for (StoreFactory.Recovered recovered : found) {
            synchronized (lock) {
                if (closed) {
                    recovered.store().ifPresent(s -> s.close());
                    return;
                }
                if (downloads.containsKey(recovered.downloadId()) || activeFor(recovered.request().gameId()).isPresent()) {
                    LOG.warn("download {} of {} from the previous run is not resumed: the game is being downloaded",
                            recovered.downloadId(), recovered.request().gameId());
                    recovered.store().ifPresent(s -> s.close());
                    continue;
                }
                LOG.info("resuming download {} of {} from the previous run", recovered.downloadId(),
                        recovered.request().gameId());
                downloads.put(recovered.downloadId(), Download.recover(recovered.downloadId(), recovered.request(),
                        recovered.store(), services, settings));
            }
            tickWhileActive();
        }
    }

    @Override
    public DownloadStatus start(DownloadRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            library.resolve(request.gameId(), "version.ini");
        } catch (UnsafePathException e) {
            throw new IllegalArgumentException("unsafe game id: " + request.gameId(), e);
        }
        String id = UUID.randomUUID().toString();
        Download download;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the download manager is stopped");
            }
            if (activeFor(request.gameId()).isPresent()) {
                throw new IllegalStateException("game " + request.gameId() + " is already being downloaded");
            }
            try {
                stores.saveRequest(id, request);
            } catch (IOException e) {
                LOG.warn("download {} of {} will not survive a restart: its request cannot be saved", id,
                        request.gameId(), e);
            }
            download = Download.start(id, request, services, settings);
            downloads.put(id, download);
        }
        tickWhileActive();
        LOG.info("download {} of {} {} started", id, request.gameId(),
                request.version() == null ? "(newest)" : request.version());
        return download.status();
    }

    @Override
    public boolean cancel(String downloadId) {
        Download download = get(downloadId);
        if (download == null || download.status().state().ended()) {
            return false;
        }
        boolean accepted = await(download.cancel(), false);
        if (accepted) {
            await(download.end(), null); // what it wrote is deleted when this returns
        }
        return accepted;
    }

    @Override
    public boolean resume(String downloadId) {
        Download download = get(downloadId);
        return download != null && await(download.resume(), false);
    }

    @Override
    public boolean remove(String downloadId) {
        synchronized (lock) {
            Download download = downloads.get(downloadId);
            if (download == null || !download.status().state().ended()) {
                return false;
            }
            downloads.remove(downloadId);
            return true;
        }
    }

    @Override
    public List<DownloadStatus> downloads() {
        List<DownloadStatus> statuses = new ArrayList<>();
        synchronized (lock) {
            downloads.values().forEach(d -> statuses.add(d.status()));
        }
        statuses.sort(Comparator.comparingInt(DownloadManagerImpl::rank)); // stable: start order within a rank
        return statuses;
    }

    private static int rank(DownloadStatus status) {
        DownloadState state = status.state();
        return state == DownloadState.RUNNING || state == DownloadState.WAITING ? 0
                : state == DownloadState.INTERRUPTED ? 1 : 2;
    }

    @Override
    public Optional<PartialCopy> copy(String gameId, String version) {
        List<Download> all;
        synchronized (lock) {
            all = new ArrayList<>(downloads.values());
        }
        for (Download download : all) {
            if (download.gameId().equals(gameId)) {
                Optional<StagedCopy> copy = download.sharedCopy();
                if (copy.isPresent() && copy.get().manifest().version().equals(version)) {
                    return Optional.of(copy.get());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<DownloadStatus> download(String downloadId) {
        return Optional.ofNullable(get(downloadId)).map(Download::status);
    }

    // --- peer events (the runtime's whiteboard); each download handles them on its own executor

    @Override
    public void onEvent(LanspreadEvent event) {
        if (event instanceof LanspreadEvent.PeerLost lost) {
            active().forEach(d -> d.peerLost(lost.peerId()));
        } else if (event instanceof LanspreadEvent.PeerDiscovered discovered) {
            active().forEach(d -> d.peerListed(discovered.peer()));
        } else if (event instanceof LanspreadEvent.GameListUpdated updated) {
            Optional<PeerInfo> known = directory.peer(updated.peerId());
            known.ifPresent(peer -> {
                PeerInfo listing = new PeerInfo(peer.peerId(), peer.name(), peer.address(), peer.lastSeen(), updated.games());
                active().forEach(d -> d.peerListed(listing));
            });
        }
    }

    // --- internals

    private Download get(String downloadId) {
        synchronized (lock) {
            return downloads.get(downloadId);
        }
    }

    private List<Download> active() {
        synchronized (lock) {
            return downloads.values().stream().filter(d -> !d.status().state().ended()).toList();
        }
    }

    /** Holding the lock. */
    private Optional<Download> activeFor(String gameId) {
        return downloads.values().stream()
                .filter(d -> d.gameId().equals(gameId) && !d.status().state().ended() && !d.end().isDone())
                .findFirst();
    }

    private static <T> T await(CompletableFuture<T> future, T otherwise) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return otherwise;
        } catch (Exception e) {
            LOG.warn("download manager call did not complete", e);
            return otherwise;
        }
    }

    private static EngineSettings settings(Config config) {
        return new EngineSettings(config.chunks_per_source(), config.attempts_per_chunk(),
                config.drop_after_bad_chunks(), config.drop_after_failures(), config.stall_seconds() * 1000L,
                config.waiting_timeout_seconds() * 1000L, config.progress_interval_millis(), config.swarm_enabled(),
                config.swarm_have_refresh_millis());
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
