package io.lanspread.download.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.download.PeerSource;
import io.lanspread.api.download.SourceLoad;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerRequestException;

/**
 * One download from start to end. Chunks are dispatched while sources have room, each to the source the
 * current planner picks; answers are verified and written (into the {@link GameStorage staging folder}) on
 * the manager's executor; a failed chunk goes to another source until it runs out of attempts. Disk work is
 * counted so that a stop waits for writes in progress and no write lands after cleanup. When every chunk is
 * in, the staging folder is swapped in for the installed copy, the library rescanned and the old copy
 * deleted; a failure or cancel deletes the staging folder only. An ended job drops its chunk tasks.
 */
final class DownloadJob {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadJob.class);
    static final int CHUNK_SIZE = 512 * 1024;
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String id;
    private final DownloadRequest request;
    private final Settings settings;
    private final GameStorage storage;
    private final LocalLibrary library;
    private final PeerClient client;
    private final Supplier<DownloadPlanner> planner;
    private final Executor workers;
    private final ScheduledExecutorService scheduler;
    private final Notifier notifier;
    private final BiConsumer<DownloadJob, DownloadStatus> onEnd;
    private final long totalBytes;

    // all guarded by this
    private final Map<String, SourceState> sources = new LinkedHashMap<>();
    private final ArrayDeque<ChunkTask> retries = new ArrayDeque<>();
    private List<ChunkTask> fresh = List.of();
    private int nextFresh;
    private int chunksLeft;
    private int inFlight;
    private int diskWork;
    private long downloadedBytes;
    private long bytesPerSecond;
    private DownloadState state = DownloadState.RUNNING;
    private String error;
    private String lastFailure;
    private RateMeter rate;
    private ScheduledFuture<?> ticker;
    /** Set once, by whoever claims the end (finish, failure or cancel); no dispatch or write starts after. */
    private volatile boolean stopping;

    DownloadJob(String id, DownloadRequest request, Settings settings, GameStorage storage, LocalLibrary library,
            PeerClient client, Supplier<DownloadPlanner> planner, Executor workers, ScheduledExecutorService scheduler,
            BiConsumer<DownloadJob, DownloadStatus> onEnd, DownloadListener listener) {
        this.id = id;
        this.request = request;
        this.settings = settings;
        this.storage = storage;
        this.library = library;
        this.client = client;
        this.planner = planner;
        this.workers = workers;
        this.scheduler = scheduler;
        this.onEnd = onEnd;
        this.notifier = new Notifier(workers, listener);
        this.totalBytes = request.files().stream().filter(f -> !f.directory()).mapToLong(GameFile::size).sum();
        for (PeerSource source : request.sources()) {
            sources.putIfAbsent(source.peerId(), new SourceState(source));
        }
    }

    String id() {
        return id;
    }

    String gameId() {
        return request.game().id();
    }

    synchronized boolean running() {
        return state == DownloadState.RUNNING;
    }

    synchronized DownloadStatus status() {
        int active = 0;
        for (SourceState source : sources.values()) {
            if (source.inFlight > 0 && state == DownloadState.RUNNING) {
                active++;
            }
        }
        return new DownloadStatus(id, gameId(), request.game().version(), state, downloadedBytes, totalBytes,
                bytesPerSecond, active, error);
    }

    /** Announces the download and prepares storage on the executor; returns at once. */
    void start() {
        synchronized (this) {
            rate = new RateMeter(RATE_WINDOW_NANOS, System.nanoTime());
        }
        notifier.begin(status());
        workers.execute(this::prepareAndRun);
    }

    /**
     * Stops the download and deletes its staging folder (everything it wrote) before returning; an installed
     * copy of the game stays as it was. False when the download is no longer running.
     */
    boolean cancel() {
        if (!claimEnd()) {
            return false;
        }
        storage.abandon();
        end(DownloadState.CANCELLED, null);
        return true;
    }

    private void prepareAndRun() {
        if (!enterDiskWork()) {
            return;
        }
        String problem = null;
        try {
            storage.prepare(() -> stopping);
        } catch (IOException | RuntimeException e) {
            problem = "could not prepare " + storage.stagingDir() + ": " + e.getMessage();
        } finally {
            exitDiskWork();
        }
        if (problem != null) {
            fail(problem);
            return;
        }
        try {
            beginTransfer();
        } catch (RuntimeException e) {
            LOG.error("download {} could not start", id, e);
            fail("internal error starting the download: " + e);
        }
    }

    private void beginTransfer() {
        List<ChunkTask> tasks = splitIntoChunks();
        synchronized (this) {
            if (stopping) {
                return;
            }
            fresh = tasks;
            chunksLeft = tasks.size();
            long interval = settings.progressIntervalMillis();
            ticker = scheduler.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
        }
        if (tasks.isEmpty()) {
            complete();
        } else {
            pump();
        }
    }

    private List<ChunkTask> splitIntoChunks() {
        Map<Chunk, ChunkTask> byChunk = new LinkedHashMap<>();
        for (FileTarget file : storage.files()) {
            int count = 0;
            for (long offset = 0; offset < file.size(); offset += CHUNK_SIZE) {
                int length = (int) Math.min(CHUNK_SIZE, file.size() - offset);
                Chunk chunk = new Chunk(file.path(), offset, length);
                byChunk.put(chunk, new ChunkTask(chunk, file));
                count++;
            }
            file.chunksLeft = count;
        }
        List<Chunk> natural = List.copyOf(byChunk.keySet());
        DownloadPlanner p = planner.get();
        try {
            List<Chunk> ordered = p.order(natural);
            if (ordered != null && ordered.size() == natural.size() && new HashSet<>(ordered).equals(byChunk.keySet())) {
                return ordered.stream().map(byChunk::get).toList();
            }
            LOG.warn("planner {} returned a chunk order that is not a permutation; using the file order", p.name());
        } catch (RuntimeException e) {
            LOG.warn("planner {} failed to order chunks; using the file order", p.name(), e);
        }
        return List.copyOf(byChunk.values());
    }

    /** Sends as many chunk requests as the sources have room for. */
    private void pump() {
        List<Attempt> toSend = new ArrayList<>();
        String stuck = null;
        synchronized (this) {
            if (stopping) {
                return;
            }
            DownloadPlanner p = planner.get();
            for (Iterator<ChunkTask> it = retries.iterator(); it.hasNext() && hasRoom();) {
                ChunkTask task = it.next();
                SourceState source = choose(p, task);
                if (source != null) {
                    it.remove();
                    toSend.add(dispatch(task, source));
                }
            }
            while (nextFresh < fresh.size() && hasRoom()) {
                ChunkTask task = fresh.get(nextFresh);
                SourceState source = choose(p, task);
                if (source == null) {
                    break;
                }
                nextFresh++;
                toSend.add(dispatch(task, source));
            }
            if (inFlight == 0 && chunksLeft > 0) {
                ChunkTask waiting = !retries.isEmpty() ? retries.peek() : fresh.get(nextFresh);
                stuck = "planner " + p.name() + " chose no source for " + waiting.describe();
            }
        }
        if (stuck != null) {
            fail(stuck);
            return;
        }
        toSend.forEach(this::send);
    }

    private boolean hasRoom() {
        for (SourceState source : sources.values()) {
            if (!source.dropped && source.inFlight < settings.parallelPerPeer()) {
                return true;
            }
        }
        return false;
    }

    /** Asks the planner for a source for the task, or null when no acceptable source has room now. */
    private SourceState choose(DownloadPlanner p, ChunkTask task) {
        Set<String> live = new HashSet<>();
        for (SourceState source : sources.values()) {
            if (!source.dropped) {
                live.add(source.id());
            }
        }
        Set<String> excluded = new HashSet<>(task.failedPeers);
        excluded.retainAll(live);
        if (excluded.size() == live.size()) {
            excluded = Set.of(); // every remaining source failed it once: any of them may try again
        }
        List<SourceLoad> free = new ArrayList<>();
        boolean acceptable = false;
        for (SourceState source : sources.values()) {
            if (!source.dropped && source.inFlight < settings.parallelPerPeer()) {
                free.add(source.load());
                acceptable |= !excluded.contains(source.id());
            }
        }
        if (!acceptable) {
            return null;
        }
        Optional<PeerSource> picked;
        try {
            picked = p.pick(task.chunk, List.copyOf(free), Set.copyOf(excluded));
        } catch (RuntimeException e) {
            LOG.warn("planner {} failed; no source for {} this round", p.name(), task.describe(), e);
            return null;
        }
        if (picked == null || picked.isEmpty()) {
            return null;
        }
        String peerId = picked.get().peerId();
        SourceState source = sources.get(peerId);
        if (source == null || source.dropped || source.inFlight >= settings.parallelPerPeer()
                || excluded.contains(peerId)) {
            LOG.debug("planner {} picked unacceptable source {} for {}", p.name(), peerId, task.describe());
            return null;
        }
        return source;
    }

    private Attempt dispatch(ChunkTask task, SourceState source) {
        source.inFlight++;
        source.inFlightBytes += task.chunk.length();
        inFlight++;
        task.attempts++;
        Attempt attempt = new Attempt(task, source, task.attempts);
        task.current = attempt;
        return attempt;
    }

    private void send(Attempt attempt) {
        if (stopping) {
            return; // stopped between dispatch and send: the attempt is simply dropped
        }
        Chunk chunk = attempt.task().chunk;
        CompletableFuture<ChunkData> answer = new CompletableFuture<>();
        try {
            CompletionStage<ChunkData> stage = client.getChunk(attempt.source().source.address(), gameId(),
                    chunk.path(), chunk.offset(), chunk.length());
            stage.whenComplete((data, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(data);
                }
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        try {
            ScheduledFuture<?> timeout = scheduler.schedule(() -> answer.completeExceptionally(new TimeoutException(
                    "no answer within " + settings.chunkTimeoutMillis() + " ms")), settings.chunkTimeoutMillis(),
                    TimeUnit.MILLISECONDS);
            answer.whenComplete((data, failure) -> timeout.cancel(false));
            answer.whenCompleteAsync((data, failure) -> onAnswer(attempt, data, failure), workers);
        } catch (RejectedExecutionException e) {
            LOG.debug("download {}: manager shutting down, dropping the answer for {}", id, chunk);
        }
    }

    private enum Next {
        CONTINUE, ALL_DONE, FAIL, IGNORE
    }

    private void onAnswer(Attempt attempt, ChunkData data, Throwable failure) {
        if (!enterDiskWork()) {
            return; // late answer after the end: dropped, never written
        }
        String[] fatal = new String[1];
        Next next;
        try {
            next = handle(attempt, data, failure, fatal);
        } catch (RuntimeException e) {
            fatal[0] = "internal error handling " + attempt.task().describe() + ": " + e;
            LOG.error("download {}: {}", id, fatal[0], e);
            next = Next.FAIL;
        } finally {
            exitDiskWork();
        }
        try {
            switch (next) {
                case CONTINUE -> pump();
                case ALL_DONE -> complete();
                case FAIL -> fail(fatal[0]);
                case IGNORE -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.error("download {}: unexpected error", id, e);
            fail("internal error: " + e);
        }
    }

    private Next handle(Attempt attempt, ChunkData data, Throwable failure, String[] fatal) {
        ChunkTask task = attempt.task();
        synchronized (this) {
            if (task.current != attempt || task.done) {
                return Next.IGNORE;
            }
        }
        String problem = failure != null ? describe(failure) : verify(task.chunk, data);
        if (problem != null) {
            return recordFailure(attempt, problem, fatal);
        }
        try {
            task.target.write(task.chunk.offset(), data.data());
        } catch (IOException e) {
            fatal[0] = "could not write " + task.describe() + ": " + e;
            return Next.FAIL;
        }
        boolean fileComplete;
        boolean allDone;
        synchronized (this) {
            SourceState source = attempt.source();
            int length = task.chunk.length();
            source.inFlight--;
            source.inFlightBytes -= length;
            source.doneBytes += length;
            source.consecutiveFailures = 0;
            inFlight--;
            task.done = true;
            task.current = null;
            downloadedBytes += length;
            fileComplete = --task.target.chunksLeft == 0;
            allDone = --chunksLeft == 0;
        }
        if (fileComplete) {
            try {
                task.target.complete();
            } catch (IOException e) {
                fatal[0] = "could not flush " + task.target.path() + ": " + e;
                return Next.FAIL;
            }
        }
        return allDone ? Next.ALL_DONE : Next.CONTINUE;
    }

    private synchronized Next recordFailure(Attempt attempt, String problem, String[] fatal) {
        ChunkTask task = attempt.task();
        SourceState source = attempt.source();
        int length = task.chunk.length();
        source.inFlight--;
        source.inFlightBytes -= length;
        source.failures++;
        source.consecutiveFailures++;
        inFlight--;
        task.current = null;
        task.failedPeers.add(source.id());
        task.lastProblem = "peer " + source.id() + ": " + problem;
        lastFailure = task.describe() + ": " + task.lastProblem;
        LOG.debug("download {}: attempt {} of {} failed: {}", id, attempt.number(), task.describe(), task.lastProblem);
        if (!source.dropped && source.consecutiveFailures >= settings.dropAfterFailures()) {
            source.dropped = true;
            LOG.warn("download {}: dropping peer {} after {} failed chunks in a row; last: {}", id, source.id(),
                    source.consecutiveFailures, problem);
        }
        if (sources.values().stream().allMatch(s -> s.dropped)) {
            fatal[0] = "all peers gone: every source failed repeatedly; last failure: " + lastFailure;
            return Next.FAIL;
        }
        if (task.attempts >= settings.maxAttempts()) {
            fatal[0] = "could not fetch " + task.describe() + " after " + task.attempts + " attempts; last cause: "
                    + task.lastProblem;
            return Next.FAIL;
        }
        retries.add(task);
        return Next.CONTINUE;
    }

    private static String verify(Chunk chunk, ChunkData data) {
        if (data == null || data.data() == null) {
            return "answered without data";
        }
        if (data.offset() != chunk.offset() || (data.path() != null && !data.path().equals(chunk.path()))) {
            return "answered for " + data.path() + " at offset " + data.offset();
        }
        if (data.data().remaining() != chunk.length()) {
            return "sent " + data.data().remaining() + " bytes, expected " + chunk.length();
        }
        if (data.sha256() == null || !data.sha256().equalsIgnoreCase(Hashes.sha256(data.data()))) {
            return "SHA-256 mismatch: the data is corrupt";
        }
        return null;
    }

    private String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PeerRequestException e) {
            return e.reason() + " " + e.getMessage();
        }
        if (cause instanceof TimeoutException) {
            return "timeout: " + cause.getMessage();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private void tick() {
        DownloadStatus status;
        synchronized (this) {
            if (stopping) {
                return;
            }
            bytesPerSecond = rate.sample(System.nanoTime(), downloadedBytes);
            status = status();
        }
        notifier.progress(status);
    }

    /**
     * Every chunk is in: flush, check, put version.ini in place, swap the new copy in, rescan, delete the old
     * copy (off the critical path: the new version is already listed), report.
     */
    private void complete() {
        if (!claimEnd()) {
            return;
        }
        try {
            for (FileTarget file : storage.files()) {
                file.complete(); // no-op for files already completed by their last chunk
            }
            storage.finish();
        } catch (IOException | RuntimeException e) {
            storage.abandon();
            end(DownloadState.FAILED, "could not complete " + storage.gameDir() + ": " + e.getMessage());
            return;
        }
        try {
            library.rescan();
        } catch (RuntimeException e) {
            LOG.warn("rescan after download {} failed", id, e);
        }
        storage.deleteOldCopy();
        end(DownloadState.FINISHED, null);
    }

    private void fail(String message) {
        if (!claimEnd()) {
            return;
        }
        LOG.warn("download {} of {} failed: {}", id, gameId(), message);
        storage.abandon();
        end(DownloadState.FAILED, message);
    }

    /**
     * Claims the end for the caller: nothing new is dispatched or written from now on, and disk work in
     * progress has finished when this returns true.
     */
    private boolean claimEnd() {
        if (!stopWork()) {
            return false;
        }
        notifier.closeProgress(1000); // no progress is delivered while or after files are moved or removed
        return true;
    }

    private boolean stopWork() {
        synchronized (this) {
            if (stopping) {
                return false;
            }
            stopping = true;
            if (ticker != null) {
                ticker.cancel(false);
            }
            boolean interrupted = false;
            while (diskWork > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
    }

    private void end(DownloadState finalState, String message) {
        DownloadStatus status;
        synchronized (this) {
            if (rate != null) {
                bytesPerSecond = rate.sample(System.nanoTime(), downloadedBytes);
            }
            state = finalState;
            error = message;
            status = status();
            fresh = List.of(); // an ended job keeps no chunk tasks; in-flight attempts hold theirs until answered
            nextFresh = 0;
            retries.clear();
        }
        onEnd.accept(this, status);
        notifier.end(status);
    }

    /** Chunk tasks this job still holds; none once it ended. */
    synchronized int chunkTasksHeld() {
        return fresh.size() + retries.size();
    }

    private synchronized boolean enterDiskWork() {
        if (stopping) {
            return false;
        }
        diskWork++;
        return true;
    }

    private synchronized void exitDiskWork() {
        diskWork--;
        notifyAll();
    }
}
