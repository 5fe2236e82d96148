package io.lanspread.download.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.download.internal.lifecycle.Lifecycle;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.schedule.ChunkBoard;
import io.lanspread.download.internal.schedule.EnginePlanningContext;
import io.lanspread.download.internal.schedule.Scheduler;
import io.lanspread.download.internal.source.FileIndex;
import io.lanspread.download.internal.source.Source;
import io.lanspread.download.internal.source.SourceSet;
import io.lanspread.download.internal.source.Throughput;
import io.lanspread.download.internal.store.ChunkLayout;
import io.lanspread.download.internal.store.DownloadStore;
import io.lanspread.download.internal.vote.Ballot;

/**
 * One download from start to end. It prepares (asks the holders for their manifests, votes, opens the store
 * and reuses local data), then moves chunks: the {@link Scheduler} decides what to request, answers are
 * checked by the verifier on a worker, the winning copy is written to the store on a worker, and the
 * {@link Lifecycle} ends the download. Every piece of its state is touched only on its own serial executor;
 * the public methods hand work to it and return at once (or a future).
 */
public final class Download {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);
    /** While WAITING, how often the peer directory is looked at again (events may have been missed). */
    private static final long WAITING_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String id;
    private final DownloadRequest request;
    private final EngineServices services;
    private final EngineSettings settings;
    private final SerialExecutor serial;
    private final Lifecycle lifecycle;
    private final SourceSet sources = new SourceSet();
    private final Throughput rate;
    private final CompletableFuture<DownloadStatus> end = new CompletableFuture<>();
    /** Fresh start: no holder at all fails the download. Recovered or resumed: it waits. */
    private boolean waitForHolders;

    private volatile DownloadStatus snapshot;
    private volatile boolean cancelRequested;
    private DownloadStatus lastNotified;

    private String version;
    private DownloadStore store;
    private ChunkLayout layout;
    private FileIndex files;
    private ChunkBoard board;
    private Scheduler scheduler;
    /** Asking the holders, voting or opening the store: events and rechecks wait for it. */
    private boolean preparing;
    private boolean endUnderWay;
    private boolean stopped;
    private int writesInFlight;
    private long doneBytes;
    private long reusedBytes;
    private long lastRecheckNanos;
    private final Set<String> manifestsAsked = new HashSet<>();

    private Download(String id, DownloadRequest request, EngineServices services, EngineSettings settings,
            DownloadState initial) {
        this.id = id;
        this.request = request;
        this.services = services;
        this.settings = settings;
        this.serial = new SerialExecutor(services.control());
        this.lifecycle = new Lifecycle(initial);
        this.rate = new Throughput(services.nanoClock());
        this.version = request.version();
        publish();
    }

    /** A new download: RUNNING while the holders are asked. */
    public static Download start(String id, DownloadRequest request, EngineServices services, EngineSettings settings) {
        Download download = new Download(id, request, services, settings, DownloadState.RUNNING);
        services.notifier().begin(download.snapshot);
        download.lastNotified = download.snapshot;
        download.onSerial(download::prepare);
        return download;
    }

    /** A download a previous run left: WAITING until its holders are found, its verified chunks kept. */
    public static Download recover(String id, DownloadRequest request, Optional<DownloadStore> store,
            EngineServices services, EngineSettings settings) {
        Download download = new Download(id, request, services, settings, DownloadState.RUNNING);
        download.waitForHolders = true;
        store.ifPresent(s -> {
            download.store = s;
            download.version = s.manifest().version();
            download.doneBytes = doneBytes(s.layout(), s.done());
            download.reusedBytes = s.reusedBytes();
        });
        download.lifecycle.toWaiting(Sentences.WAITING_FOR_HOLDERS);
        download.publish();
        services.notifier().begin(download.snapshot);
        download.lastNotified = download.snapshot;
        download.onSerial(() -> {
            download.startWaitingTimer();
            download.prepare();
        });
        return download;
    }

    public String id() {
        return id;
    }

    public String gameId() {
        return request.gameId();
    }

    public DownloadStatus status() {
        return snapshot;
    }

    /** Completes with the final status once the download ended. */
    public CompletableFuture<DownloadStatus> end() {
        return end;
    }

    // --- entry points from other threads

    public CompletableFuture<Boolean> cancel() {
        cancelRequested = true;
        CompletableFuture<Boolean> accepted = new CompletableFuture<>();
        onSerial(() -> accepted.complete(endWith(DownloadState.CANCELLED, null)));
        return accepted;
    }

    public CompletableFuture<Boolean> resume() {
        CompletableFuture<Boolean> resumed = new CompletableFuture<>();
        onSerial(() -> {
            if (stopped || lifecycle.state() != DownloadState.INTERRUPTED) {
                resumed.complete(false);
                return;
            }
            waitForHolders = true;
            goWaiting(scheduler == null ? Sentences.WAITING_FOR_HOLDERS : Sentences.WAITING_FOR_PEERS);
            if (scheduler == null) {
                prepare();
            } else {
                askNewHolders();
            }
            resumed.complete(true);
        });
        return resumed;
    }

    public void peerLost(String peerId) {
        onSerial(() -> {
            if (sources.contains(peerId)) {
                LOG.info("download {}: source {} left", id, peerId);
                removeSource(peerId, null);
            }
        });
    }

    /** A peer was found or its game list changed: it may be a new source, or no longer one. */
    public void peerListed(PeerInfo peer) {
        onSerial(() -> {
            if (lifecycle.ending() || lifecycle.state() == DownloadState.INTERRUPTED || preparing) {
                return;
            }
            if (scheduler == null) {
                if (lifecycle.state() == DownloadState.WAITING) {
                    prepare();
                }
                return;
            }
            boolean holds = peer.games().stream().anyMatch(g -> g.id().equals(gameId()) && g.version().equals(version));
            if (holds) {
                askNewHolders();
            } else if (sources.contains(peer.peerId())) {
                removeSource(peer.peerId(), HolderQuery.name(peer) + " no longer has version " + version
                        + " of the game; it is not used.");
            }
        });
    }

    /** Every progress interval: stalled sources, coalesced progress news. */
    public void tick() {
        onSerial(() -> {
            if (stopped || lifecycle.state().ended()) {
                return;
            }
            detectStalls();
            if (scheduler != null && lifecycle.state() == DownloadState.RUNNING && !lifecycle.ending()) {
                scheduler.fill(); // a planner that left a link idle gets another chance (endgame lateness grows)
                waitIfNobodyCanServe();
            }
            if (lifecycle.state() == DownloadState.WAITING && !preparing
                    && services.nanoClock().getAsLong() - lastRecheckNanos > WAITING_RECHECK_NANOS) {
                lastRecheckNanos = services.nanoClock().getAsLong();
                if (scheduler == null) {
                    prepare();
                } else {
                    askNewHolders();
                }
            }
            publish();
            if (!snapshot.equals(lastNotified)) {
                notifyProgress();
            }
        });
    }

    /** The manager stops: nothing more happens, the store stays on disk to be recovered. */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> stoppedNow = new CompletableFuture<>();
        onSerial(() -> {
            stopped = true;
            if (scheduler != null) {
                scheduler.close();
            }
            clearRequests();
            stoppedNow.complete(null);
        });
        return stoppedNow;
    }

    /** After {@link #stop()} and once the workers are idle: releases the store's files. */
    public void closeStore() {
        DownloadStore open = store;
        if (open != null && !lifecycle.state().ended()) {
            open.close();
        }
    }

    /** Disk work; after the manager stopped it is dropped (the store stays as it was, to be recovered). */
    private void onWorker(Runnable task) {
        try {
            services.workers().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("download {}: the manager stopped; disk work dropped", id);
        }
    }

    private void onSerial(Runnable task) {
        serial.execute(() -> {
            task.run();
            publish();
        });
    }

    // --- preparation

    private void prepare() {
        if (stopped || lifecycle.ending() || preparing) {
            return;
        }
        preparing = true;
        new Preparation(services, id, request).run(store, () -> cancelRequested).whenComplete((outcome, failure) -> {
            Preparation.Outcome result = outcome != null ? outcome
                    : new Preparation.Failed("An unexpected error stopped the download.", List.of());
            if (failure != null && !(Sentences.unwrap(failure) instanceof java.util.concurrent.RejectedExecutionException)) {
                LOG.error("download {}: preparing failed", id, failure); // a rejection only means the manager stopped
            }
            onSerial(() -> prepared(result));
        });
    }

    private void prepared(Preparation.Outcome outcome) {
        preparing = false;
        for (String note : outcome.notes()) {
            LOG.warn("download {} of {}: {}", id, gameId(), note);
            lifecycle.note(note);
        }
        if (outcome instanceof Preparation.Ready ready && ready.store() != store) {
            if (stopped || lifecycle.ending()) {
                onWorker(ready.store()::discard); // the end already cleaned up the rest
                return;
            }
            store = ready.store();
            if (ready.replaced() != null) {
                String note = "Switched to version " + store.manifest().version() + ": the holders now have it.";
                LOG.info("download {} of {}: {}", id, gameId(), note);
                lifecycle.note(note);
                onWorker(ready.replaced()::discard);
            }
        }
        if (stopped || lifecycle.ending()) {
            return;
        }
        if (outcome instanceof Preparation.Failed failed) {
            endWith(DownloadState.FAILED, failed.sentence());
        } else if (outcome instanceof Preparation.NoHolders none) {
            if (waitForHolders) {
                goWaiting(Sentences.WAITING_FOR_HOLDERS);
            } else {
                endWith(DownloadState.FAILED, none.failureIfFresh());
            }
        } else if (outcome instanceof Preparation.Ready ready) {
            startFetching(ready.ballots());
        }
    }

    private void startFetching(List<Ballot> ballots) {
        layout = store.layout();
        files = new FileIndex(layout);
        board = new ChunkBoard(layout.chunkCount(), store.done());
        version = layout.manifest().version();
        doneBytes = doneBytes(layout, board.done());
        reusedBytes = store.reusedBytes();
        EnginePlanningContext context = new EnginePlanningContext(id, gameId(), layout, board, sources);
        scheduler = new Scheduler(context, board, sources, services.planner(), services.builtinPlanner(), this::send);
        for (Ballot b : ballots) {
            if (services.directory().peer(b.peer().peerId()).isPresent()) {
                addSource(b.peer(), b.manifest());
            }
        }
        LOG.info("download {} of {} {}: {} chunks, {} done, {} source(s)", id, gameId(), version, board.count(),
                board.doneCount(), sources.size());
        if (board.remaining() == 0) {
            finish();
            return;
        }
        askNewHolders();
        if (sources.isEmpty()) {
            goWaiting(Sentences.WAITING_FOR_PEERS);
        } else {
            scheduler.fill();
        }
    }

    /** Asks the directory's holders of the chosen version that are not sources yet for their manifests. */
    private void askNewHolders() {
        if (scheduler == null || lifecycle.ending() || stopped) {
            return;
        }
        for (PeerInfo peer : services.directory().peersWithGame(gameId(), version)) {
            String peerId = peer.peerId();
            if (sources.contains(peerId) || sources.isDropped(peerId) || !manifestsAsked.add(peerId)) {
                continue;
            }
            HolderQuery.ask(services.client(), peer, gameId(), version).whenComplete((answer, failure) -> onSerial(() -> {
                manifestsAsked.remove(peerId);
                if (answer == null || lifecycle.ending() || stopped || lifecycle.state() == DownloadState.INTERRUPTED) {
                    return;
                }
                if (!answer.ok()) {
                    lifecycle.note(answer.problem());
                } else if (services.directory().peer(peerId).isPresent() && !sources.contains(peerId)) {
                    addSource(answer.peer(), answer.manifest());
                    scheduler.fill();
                }
            }));
        }
    }

    // --- sources

    /** Adds a source; the caller plans next (so that sources added together start together). */
    private void addSource(PeerInfo peer, GameManifest manifest) {
        if (sources.isDropped(peer.peerId())) {
            return;
        }
        Source source = new Source(peer, manifest, files, settings.chunksPerSource(), services.nanoClock());
        if (!source.servesAnything() && board.remaining() > 0) {
            LOG.info("download {}: {} holds none of the chosen content", id, HolderQuery.name(peer));
            return;
        }
        sources.add(source);
        LOG.info("download {}: source {} added ({} sources)", id, HolderQuery.name(peer), sources.size());
        scheduler.sourcesChanged();
        lifecycle.unnote(Sentences.WAITING_FOR_HOLDERS);
        if (lifecycle.toRunning(Sentences.WAITING_FOR_PEERS)) {
            notifyProgress();
        }
    }

    private void removeSource(String peerId, String note) {
        Optional<Source> removed = sources.remove(peerId);
        if (removed.isEmpty()) {
            return;
        }
        dropRequests(removed.get());
        if (note != null) {
            LOG.warn("download {}: {}", id, note);
            lifecycle.note(note);
        }
        scheduler.sourcesChanged();
        afterSourcesShrank();
    }

    private void dropRequests(Source source) {
        for (Integer index : source.requests()) {
            board.requestEnded(index, !source.stalled());
        }
        source.clearRequests();
    }

    /** WAITING when no source can serve what is left; else plan again. */
    private void afterSourcesShrank() {
        if (lifecycle.ending() || scheduler == null) {
            return;
        }
        boolean anyUseful = !sources.isEmpty()
                && board.anyRemaining(i -> sources.all().stream().anyMatch(s -> s.has(i)));
        if (!anyUseful) {
            goWaiting(Sentences.WAITING_FOR_PEERS);
        } else {
            scheduler.fill();
        }
    }

    /**
     * Nothing in flight and no source holds what is left (their files changed, say): those sources are let go
     * (a fresh manifest from them may serve again) and the download waits for a holder.
     */
    private void waitIfNobodyCanServe() {
        if (writesInFlight > 0 || board.remaining() == 0 || sources.all().stream().anyMatch(s -> s.inFlight() > 0)) {
            return;
        }
        if (!board.anyRemaining(i -> sources.all().stream().anyMatch(s -> s.has(i)))) {
            new ArrayList<>(sources.all()).forEach(s -> sources.remove(s.peerId()));
            scheduler.sourcesChanged();
            goWaiting(Sentences.WAITING_FOR_PEERS);
        }
    }

    private void goWaiting(String why) {
        if (lifecycle.toWaiting(why)) {
            LOG.info("download {} of {} is waiting: {}", id, gameId(), why);
            lastRecheckNanos = services.nanoClock().getAsLong();
            startWaitingTimer();
            notifyProgress();
        }
    }

    private void startWaitingTimer() {
        long epoch = lifecycle.waitingEpoch();
        String why = lifecycle.notes().contains(Sentences.WAITING_FOR_PEERS) ? Sentences.WAITING_FOR_PEERS
                : Sentences.WAITING_FOR_HOLDERS;
        try {
            services.timer().schedule(() -> onSerial(() -> {
                String interrupted = "No peer with this game came back within "
                        + TimeUnit.MILLISECONDS.toSeconds(settings.waitingTimeoutMillis())
                        + " s; the verified data is kept, resume the download to try again.";
                if (!stopped && lifecycle.toInterrupted(epoch, interrupted, why)) {
                    lifecycle.unnote(Sentences.WAITING_FOR_HOLDERS);
                    lifecycle.unnote(Sentences.WAITING_FOR_PEERS);
                    LOG.info("download {} of {} is interrupted", id, gameId());
                    notifyProgress();
                }
            }), settings.waitingTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("timer stopped");
        }
    }

    private void detectStalls() {
        if (scheduler == null || lifecycle.ending() || sources.isEmpty()) {
            return;
        }
        long now = services.nanoClock().getAsLong();
        long stallNanos = TimeUnit.MILLISECONDS.toNanos(settings.stallMillis());
        boolean changed = false;
        for (Source source : sources.all()) {
            boolean othersDeliver = sources.all().stream().anyMatch(other -> other != source
                    && other.lastDeliveryNanos() >= 0 && now - other.lastDeliveryNanos() < stallNanos);
            if (source.stalled()) {
                if (!othersDeliver) {
                    unstall(source); // nobody else delivers either: it is as good a source as any
                    changed = true;
                }
                continue;
            }
            if (source.inFlight() == 0 || source.idleMillis() < settings.stallMillis()) {
                continue;
            }
            if (othersDeliver) {
                LOG.info("download {}: source {} delivered nothing for {} ms; its {} chunk(s) go to others too", id,
                        source.peerId(), source.idleMillis(), source.inFlight());
                source.stalled(true);
                source.requests().forEach(i -> board.liveness(i, false));
                changed = true;
            }
        }
        if (changed) {
            scheduler.sourcesChanged();
            scheduler.fill();
        }
    }

    private void unstall(Source source) {
        source.stalled(false);
        source.requests().forEach(i -> board.liveness(i, true));
        scheduler.sourcesChanged();
    }

    // --- chunks

    private void send(Source source, int index) {
        Chunk chunk = layout.chunk(index);
        source.requested(index);
        board.requested(index, true);
        ChunkLayout chunks = layout;
        CompletionStage<ChunkData> answer;
        try {
            answer = services.client().getChunk(source.address(), gameId(), chunk.path(), chunk.offset(), chunk.length());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((data, failure) -> {
            if (failure != null || data == null) {
                Throwable why = failure != null ? failure : new PeerRequestException(Reason.PROTOCOL, "no data");
                onSerial(() -> requestFailed(source, index, why));
                return;
            }
            services.verifier().verify(chunks, index, data.data()).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.warn("download {}: verifying chunk {} failed", id, index, error);
                }
                onSerial(() -> answered(source, index, data.data(), Boolean.TRUE.equals(ok)));
            });
        });
    }

    private void answered(Source source, int index, ByteBuffer data, boolean verified) {
        if (!source.endRequest(index)) {
            return; // a late copy of a chunk another source delivered, or from a source that left
        }
        board.requestEnded(index, !source.stalled());
        if (stopped || lifecycle.ending()) {
            maybeCompleteEnd();
            return;
        }
        Chunk chunk = layout.chunk(index);
        if (!verified) {
            badChunk(source, chunk);
            return;
        }
        if (source.stalled()) {
            unstall(source);
        }
        source.delivered(chunk.length());
        if (board.isSettled(index)) {
            scheduler.fill();
            return;
        }
        board.writing(index);
        cancelOtherRequests(index, source);
        write(source, chunk, data);
        scheduler.fill();
    }

    /** The first verified copy won: the other requests for the chunk no longer count; their answers are dropped. */
    private void cancelOtherRequests(int index, Source winner) {
        for (Source other : sources.all()) {
            if (other != winner && other.endRequest(index)) {
                board.requestEnded(index, !other.stalled());
            }
        }
    }

    private void write(Source source, Chunk chunk, ByteBuffer data) {
        DownloadStore target = store;
        writesInFlight++;
        onWorker(() -> {
            Exception failure = null;
            try {
                target.write(chunk, data);
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            Exception why = failure;
            onSerial(() -> written(source, chunk, why));
        });
    }

    private void written(Source source, Chunk chunk, Exception failure) {
        writesInFlight--;
        if (failure != null) {
            board.writeFailed(chunk.index());
            if (!stopped) {
                LOG.warn("download {}: writing {} failed", id, chunk.path(), failure);
                endWith(DownloadState.FAILED, Sentences.diskFailure(failure, "writing " + chunk.path()));
            }
            maybeCompleteEnd();
            return;
        }
        board.written(chunk.index());
        doneBytes += chunk.length();
        rate.add(chunk.length());
        if (stopped || lifecycle.ending()) {
            maybeCompleteEnd();
            return;
        }
        scheduler.chunkDone(chunk, source);
        if (board.remaining() == 0) {
            finish();
        } else {
            scheduler.fill();
        }
    }

    private void badChunk(Source source, Chunk chunk) {
        source.badChunk(chunk.index());
        refuseOnSameHost(source, chunk.index());
        scheduler.chunkFailed(chunk, source);
        int attempts = board.failed(chunk.index());
        LOG.warn("download {}: chunk at {} of {} from {} does not match the manifest ({} bad from it)", id,
                chunk.offset(), chunk.path(), source.peerId(), source.badChunks());
        if (source.badChunks() == 1) {
            lifecycle.note(source.name() + " sent a part of " + chunk.path()
                    + " that does not match the agreed manifest; it was fetched again from another peer.");
        }
        if (attempts >= settings.attemptsPerChunk()) {
            endWith(DownloadState.FAILED, "A part of " + chunk.path() + " failed " + attempts
                    + " times (wrong bytes or errors from the peers); the download stopped.");
            return;
        }
        if (source.badChunks() >= settings.dropAfterBadChunks()) {
            sources.drop(source.peerId());
            dropRequests(source);
            String note = source.name() + " sent " + source.badChunks()
                    + " chunks that do not match the agreed manifest; it is no longer used for this download.";
            LOG.warn("download {}: {}", id, note);
            lifecycle.note(note);
            scheduler.sourcesChanged();
        }
        afterSourcesShrank();
    }

    /**
     * Peers on the bad sender's machine most likely serve the same bytes: while a peer on another machine
     * holds the chunk, they are not asked for it (several ids on one host would otherwise each waste a try).
     */
    private void refuseOnSameHost(Source bad, int index) {
        boolean elsewhere = sources.all().stream().anyMatch(s -> !s.host().equals(bad.host()) && s.has(index));
        if (!elsewhere) {
            return;
        }
        for (Source other : sources.all()) {
            if (other != bad && other.host().equals(bad.host())) {
                other.refuse(index);
            }
        }
    }

    private void requestFailed(Source source, int index, Throwable failure) {
        if (!source.endRequest(index)) {
            return;
        }
        board.requestEnded(index, !source.stalled());
        if (stopped || lifecycle.ending()) {
            maybeCompleteEnd();
            return;
        }
        Chunk chunk = layout.chunk(index);
        Throwable cause = Sentences.unwrap(failure);
        Reason reason = cause instanceof PeerRequestException p ? p.reason() : null;
        scheduler.chunkFailed(chunk, source);
        if (reason == Reason.FILE_CHANGED) {
            source.fileChanged(files.fileOf(index));
            lifecycle.note(source.name() + "'s copy of " + chunk.path()
                    + " changed since it was hashed; other peers serve that file.");
            afterSourcesShrank();
            return;
        }
        if (reason == Reason.GAME_NOT_FOUND) {
            removeSource(source.peerId(), source.name() + " no longer has the game; it is not used.");
            return;
        }
        source.failed();
        LOG.debug("download {}: chunk {} from {} failed", id, index, source.peerId(), cause);
        if (reason != Reason.UNREACHABLE && reason != Reason.TIMEOUT) {
            int attempts = board.failed(index);
            if (attempts >= settings.attemptsPerChunk()) {
                endWith(DownloadState.FAILED, "A part of " + chunk.path() + " could not be fetched after " + attempts
                        + " tries: the last peer asked failed because " + Sentences.peerFailure(cause) + ".");
                return;
            }
        }
        if (source.failuresInARow() >= settings.dropAfterFailures()) {
            removeSource(source.peerId(), source.name() + " failed " + source.failuresInARow()
                    + " requests in a row because " + Sentences.peerFailure(cause)
                    + "; it is not asked again until it is seen again.");
            return;
        }
        scheduler.fill();
    }

    // --- the end

    private void finish() {
        if (!lifecycle.claimEnd(DownloadState.FINISHED, null)) {
            return;
        }
        endUnderWay = true;
        scheduler.close();
        clearRequests();
        DownloadStore target = store;
        onWorker(() -> {
            String failure = null;
            try {
                target.install();
                services.library().rescan();
            } catch (IOException | RuntimeException e) {
                LOG.warn("download {}: installing {} failed", id, gameId(), e);
                failure = Sentences.diskFailure(e, "installing the game");
                target.discard();
            }
            String why = failure;
            onSerial(() -> completeEnd(why == null ? DownloadState.FINISHED : DownloadState.FAILED, why));
        });
    }

    /** Claims an end other than FINISHED; the store work follows once no write is under way. */
    private boolean endWith(DownloadState state, String error) {
        if (stopped || !lifecycle.claimEnd(state, error)) {
            return false;
        }
        if (state == DownloadState.FAILED) {
            LOG.warn("download {} of {} failed: {}", id, gameId(), error);
        }
        cancelRequested = true;
        if (scheduler != null) {
            scheduler.close();
        }
        clearRequests();
        maybeCompleteEnd();
        return true;
    }

    private void maybeCompleteEnd() {
        DownloadState claimed = lifecycle.claimedEnd();
        if (claimed == null || claimed == DownloadState.FINISHED || endUnderWay || writesInFlight > 0 || stopped) {
            return;
        }
        endUnderWay = true;
        DownloadStore target = store;
        onWorker(() -> {
            try {
                if (target != null) {
                    target.discard();
                } else {
                    services.stores().forget(id);
                }
            } catch (RuntimeException e) {
                LOG.warn("download {}: cleaning up failed", id, e);
            }
            onSerial(() -> completeEnd(claimed, lifecycle.error()));
        });
    }

    private void completeEnd(DownloadState state, String error) {
        lifecycle.ended(state, error);
        store = null;
        sources.all().clear();
        publish();
        LOG.info("download {} of {} ended: {}", id, gameId(), state);
        services.notifier().ended(snapshot);
        lastNotified = snapshot;
        end.complete(snapshot);
    }

    private void clearRequests() {
        for (Source source : sources.all()) {
            if (board != null) {
                dropRequests(source);
            } else {
                source.clearRequests();
            }
        }
    }

    // --- status

    private void notifyProgress() {
        publish();
        services.notifier().progress(snapshot);
        lastNotified = snapshot;
    }

    private void publish() {
        long total = layout != null ? layout.manifest().totalSize() : store != null ? store.manifest().totalSize() : 0;
        snapshot = new DownloadStatus(id, gameId(), version, lifecycle.state(), doneBytes, total,
                Math.max(0, doneBytes - reusedBytes), reusedBytes, rate.bytesPerSecond(), sources.active(),
                sources.size(), lifecycle.notes(), lifecycle.error());
    }

    private static long doneBytes(ChunkLayout layout, java.util.BitSet done) {
        long bytes = 0;
        for (int i = done.nextSetBit(0); i >= 0 && i < layout.chunkCount(); i = done.nextSetBit(i + 1)) {
            bytes += layout.chunk(i).length();
        }
        return bytes;
    }
}
