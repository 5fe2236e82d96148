package io.lanspread.download.internal.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.download.internal.lifecycle.Lifecycle;
import io.lanspread.download.internal.schedule.ChunkBoard;
import io.lanspread.download.internal.schedule.EnginePlanningContext;
import io.lanspread.download.internal.schedule.Scheduler;
import io.lanspread.download.internal.share.StagedCopy;
import io.lanspread.download.internal.source.FileIndex;
import io.lanspread.download.internal.source.SourceSet;
import io.lanspread.download.internal.source.Throughput;
import io.lanspread.download.internal.store.ChunkLayout;
import io.lanspread.download.internal.store.DownloadStore;

/**
 * The state one download's pieces ({@link Download}, {@link SourceKeeper}, {@link StallWatch}, {@link Waiting},
 * {@link ChunkPipeline}, {@link GroupCommit}, {@link Ending}) share, its serial executor, and the status it
 * publishes. Every field is touched only on that serial executor, except the published status and
 * {@code cancelRequested}, which other threads read, {@code loans}, which is thread-safe, and {@code store},
 * which {@link Download#closeStore()} reads once the executor is idle.
 */
final class DownloadContext {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    final String id;
    final DownloadRequest request;
    final EngineServices services;
    /** The manager's settings as of now: replaced while the download runs when they change. */
    EngineSettings settings;
    final Lifecycle lifecycle;
    final SourceSet sources = new SourceSet();
    final Throughput rate;
    /** The received chunks not released yet; thread-safe. */
    final ChunkLoans loans = new ChunkLoans();
    private final SerialExecutor serial;
    /** Done chunks the shared copy found bad in staging, to be fetched again. */
    final BadStagedChunks badChunks = new BadStagedChunks(this);

    /** Fresh start: no holder at all fails the download. Recovered or resumed: it waits. */
    boolean waitForHolders;
    volatile boolean cancelRequested;
    String version;
    DownloadStore store;
    /** Set when fetching starts; null while the download prepares. */
    ChunkLayout layout;
    FileIndex files;
    ChunkBoard board;
    Scheduler scheduler;
    EnginePlanningContext planning;
    /** Asking the holders, voting or opening the store: events and rechecks wait for it. */
    boolean preparing;
    boolean stopped;
    /** Disk work under way that an end waits for: chunk writes and commits. */
    int writesInFlight;
    long doneBytes;
    long reusedBytes;
    /** What other peers may read of this download while it fetches (swarming); null when not shared. */
    volatile StagedCopy shared;
    /** The bytes {@link #shared} offers, as of the last progress tick. */
    long sharedBytes;

    private volatile DownloadStatus snapshot;
    private DownloadStatus lastNotified;

    DownloadContext(String id, DownloadRequest request, EngineServices services, EngineSettings settings,
            DownloadState initial) {
        this.id = id;
        this.request = request;
        this.services = services;
        this.settings = settings;
        this.serial = new SerialExecutor(services.control());
        this.lifecycle = new Lifecycle(initial);
        this.rate = Throughput.sinceFirstBytes(services.nanoClock());
        this.version = request.version();
        publish();
    }

    String gameId() {
        return request.gameId();
    }

    /** Stops sharing the staging folder (the download ends or stops). */
    void unshare() {
        StagedCopy copy = shared;
        shared = null;
        if (copy != null) {
            copy.close();
        }
    }

    /** Runs the task on the serial executor; the status is published after it. */
    void onSerial(Runnable task) {
        serial.execute(() -> {
            task.run();
            publish();
        });
    }

    /**
     * Disk work; after the manager stopped it is dropped (the store stays as it was, to be recovered).
     *
     * @return whether the task was accepted
     */
    boolean onWorker(Runnable task) {
        try {
            services.workers().execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("download {}: the manager stopped; disk work dropped", id);
            return false;
        }
    }

    // --- status

    DownloadStatus snapshot() {
        return snapshot;
    }

    void publish() {
        long total = layout != null ? layout.manifest().totalSize() : store != null ? store.manifest().totalSize() : 0;
        snapshot = new DownloadStatus(id, gameId(), version, lifecycle.state(), doneBytes, total,
                Math.max(0, doneBytes - reusedBytes), reusedBytes, rate.bytesPerSecond(), sources.active(),
                sources.size(), lifecycle.notes(), lifecycle.error(), shared == null ? 0 : sharedBytes);
    }

    void notifyBegin() {
        services.notifier().begin(snapshot);
        lastNotified = snapshot;
    }

    void notifyProgress() {
        publish();
        services.notifier().progress(snapshot);
        lastNotified = snapshot;
    }

    /** Coalesced progress news: only when something changed since the last notification. */
    void notifyProgressIfChanged() {
        publish();
        if (!snapshot.equals(lastNotified)) {
            notifyProgress();
        }
    }

    /** Tells the final status as last published. */
    void notifyEnded() {
        services.notifier().ended(snapshot);
        lastNotified = snapshot;
    }
}
