package io.lanspread.download.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.lanspread.api.download.PeerSource;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.download.internal.planner.LeastLoadedPlanner;

/**
 * Runs downloads: one {@link DownloadJob} per game at a time. A download writes into a hidden staging folder
 * under {@code <gamesDir>/.lanspread-tmp} and swaps it in for the installed copy only once it is complete, so
 * an installed game stays intact, listed and served until then; a failed or cancelled download deletes its
 * staging folder only. A running download is held as its job; an ended one only as its final status, for the
 * session. On activation, whatever a previous run left in {@code .lanspread-tmp} is deleted.
 */
@Component(name = DownloadManagerImpl.PID, service = DownloadManager.class)
@Designate(ocd = DownloadManagerImpl.Config.class)
public class DownloadManagerImpl implements DownloadManager {
    static final String PID = "io.lanspread.download";
    private static final Logger LOG = LoggerFactory.getLogger(DownloadManagerImpl.class);

    @ObjectClassDefinition(name = "lanspread downloads", description = "How games are downloaded from peers.")
    public @interface Config {
        @AttributeDefinition(name = "Requests per source", description = "Chunk requests in flight per source.", min = "1")
        int parallel_per_peer() default 4;

        @AttributeDefinition(name = "Attempts per chunk", description = "Tries per chunk, the first included, before the download fails.", min = "1")
        int max_attempts() default 4;

        @AttributeDefinition(name = "Progress interval (ms)", min = "10")
        long progress_interval_millis() default 500;

        @AttributeDefinition(name = "Drop a source after", description = "Failed chunks in a row after which a source is no longer asked in this download.", min = "1")
        int drop_after_failures() default 5;

        @AttributeDefinition(name = "Chunk timeout (s)", description = "A chunk request not answered in this time counts as failed.", min = "1")
        long chunk_timeout_seconds() default 60;

        @AttributeDefinition(name = "Planner", description = "Target filter for the download planner, e.g. (lanspread.planner.name=round-robin).")
        String planner_target() default "(" + DownloadPlanner.NAME_PROPERTY + "=*)";
    }

    private final LocalLibrary library;
    private final PeerClient client;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor scheduler;
    private final DownloadPlanner fallbackPlanner = new LeastLoadedPlanner();
    private volatile Settings settings;

    /**
     * The highest-ranked planner (or the one pinned by planner.target); read once per decision. Optional,
     * so that a planner bundle going away never stops the manager and its running downloads: the built-in
     * least-loaded planner stands in until another planner is registered.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DownloadPlanner planner;

    private final Object lock = new Object();
    private final Map<String, DownloadJob> running = new LinkedHashMap<>();
    private final Map<String, DownloadJob> runningByGame = new HashMap<>();
    /** Final statuses of ended downloads, in the order they ended. */
    private final Map<String, DownloadStatus> ended = new LinkedHashMap<>();
    private boolean closed;

    @Activate
    public DownloadManagerImpl(@Reference(name = "library") LocalLibrary library,
            @Reference(name = "client") PeerClient client, Config config) {
        this.library = library;
        this.client = client;
        this.settings = Settings.of(config);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("lanspread-download-"));
        this.workers.allowCoreThreadTimeOut(true);
        this.scheduler = new ScheduledThreadPoolExecutor(1, threads("lanspread-download-timer-"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        deleteLeftovers();
    }

    /** Lists what a previous run left now (before any download stages), deletes it in the background. */
    private void deleteLeftovers() {
        List<Path> leftovers;
        try {
            leftovers = TempFolders.leftovers(library.gameDirectory().toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            LOG.warn("cannot look for leftovers of a previous run", e);
            return;
        }
        if (leftovers.isEmpty()) {
            return;
        }
        LOG.info("deleting {} leftover(s) of a previous run: {}", leftovers.size(), leftovers);
        workers.execute(() -> leftovers.forEach(TempFolders::deleteQuietly));
    }

    @Modified
    void modified(Config config) {
        settings = Settings.of(config); // used by downloads started from now on
    }

    @Deactivate
    void deactivate() {
        List<DownloadJob> running;
        synchronized (lock) {
            closed = true;
            running = List.copyOf(runningByGame.values());
        }
        running.forEach(DownloadJob::cancel);
        workers.shutdown();
        scheduler.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("download threads still busy after 5 s; interrupting");
                workers.shutdownNow();
            }
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public DownloadStatus start(DownloadRequest request, DownloadListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.game(), "request.game");
        DownloadListener target = listener != null ? listener : new DownloadListener() {
        };
        String gameId = request.game().id();
        if (request.sources().isEmpty()) {
            throw new IllegalArgumentException("no sources to download " + gameId + " from");
        }
        for (PeerSource source : request.sources()) {
            if (source == null || source.peerId() == null || source.address() == null) {
                throw new IllegalArgumentException("incomplete source for " + gameId + ": " + source);
            }
        }
        String id = UUID.randomUUID().toString();
        GameStorage storage = GameStorage.plan(library, gameId, id, request.files());
        DownloadJob job;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the download manager is stopped");
            }
            if (runningByGame.containsKey(gameId)) {
                throw new IllegalStateException("game " + gameId + " is already being downloaded");
            }
            job = new DownloadJob(id, request, settings, storage, library, client, this::currentPlanner, workers,
                    scheduler, this::ended, target);
            running.put(id, job);
            runningByGame.put(gameId, job);
        }
        LOG.info("download {} of {} {} from {} source(s) into {} (staged in {})", id, gameId,
                request.game().version(), request.sources().size(), storage.gameDir(), storage.stagingDir());
        DownloadStatus initial = job.status();
        job.start();
        return initial;
    }

    /**
     * Cancels a running download; it has deleted everything it wrote (its staging folder) when this returns
     * true. An installed copy of the game is left as it was.
     */
    @Override
    public boolean cancel(String downloadId) {
        DownloadJob job;
        synchronized (lock) {
            job = running.get(downloadId);
        }
        return job != null && job.cancel();
    }

    @Override
    public List<DownloadStatus> downloads() {
        List<DownloadJob> jobs;
        List<DownloadStatus> statuses;
        synchronized (lock) {
            jobs = new ArrayList<>(running.values());
            statuses = new ArrayList<>(jobs.size() + ended.size());
            statuses.addAll(ended.values());
        }
        List<DownloadStatus> current = new ArrayList<>(jobs.size());
        for (DownloadJob job : jobs) {
            current.add(job.status());
        }
        statuses.addAll(0, current);
        statuses.sort(Comparator.comparing(s -> s.state() != DownloadState.RUNNING)); // one may end meanwhile
        return statuses;
    }

    @Override
    public Optional<DownloadStatus> download(String downloadId) {
        DownloadJob job;
        synchronized (lock) {
            job = running.get(downloadId);
            if (job == null) {
                return Optional.ofNullable(ended.get(downloadId));
            }
        }
        return Optional.of(job.status());
    }

    /** The job of a running download; empty once it ended. */
    Optional<DownloadJob> runningJob(String downloadId) {
        synchronized (lock) {
            return Optional.ofNullable(running.get(downloadId));
        }
    }

    private DownloadPlanner currentPlanner() {
        DownloadPlanner current = planner;
        return current != null ? current : fallbackPlanner;
    }

    private void ended(DownloadJob job, DownloadStatus last) {
        synchronized (lock) {
            runningByGame.remove(job.gameId(), job);
            if (running.remove(job.id(), job)) {
                ended.put(job.id(), last);
            }
        }
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
