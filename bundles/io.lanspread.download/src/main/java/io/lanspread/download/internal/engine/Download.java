package io.lanspread.download.internal.engine;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.download.internal.lifecycle.Lifecycle;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.schedule.ChunkBoard;
import io.lanspread.download.internal.schedule.EnginePlanningContext;
import io.lanspread.download.internal.schedule.Scheduler;
import io.lanspread.download.internal.share.StagedCopy;
import io.lanspread.download.internal.source.FileIndex;
import io.lanspread.download.internal.source.Source;
import io.lanspread.download.internal.store.ChunkLayout;
import io.lanspread.download.internal.store.DownloadStore;
import io.lanspread.download.internal.vote.Ballot;

/**
 * One download from start to end. It prepares (asks the holders for their manifests, votes, opens the store
 * and reuses local data), then moves chunks: the {@link Scheduler} decides what to request, the
 * {@link ChunkPipeline} fetches, verifies and writes them, {@link GroupCommit} has them made durable in
 * batches, the {@link SourceKeeper} and {@link StallWatch} look after the sources, {@link Waiting} after the
 * waits, and {@link Ending} with the {@link Lifecycle} ends the download. Every piece of its state
 * ({@link DownloadContext}) is touched only on its own serial executor; the public methods hand work to it
 * and return at once (or a future).
 */
public final class Download {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext context;
    private final Lifecycle lifecycle;
    private final Waiting waiting;
    private final StallWatch stalls;
    private final SourceKeeper sources;
    private final Ending ending;
    private final ChunkPipeline chunks;
    private final GroupCommit commits;
    private final PartialHolders partials;

    private Download(String id, DownloadRequest request, EngineServices services, EngineSettings settings,
            DownloadState initial) {
        this.context = new DownloadContext(id, request, services, settings, initial);
        this.lifecycle = context.lifecycle;
        this.waiting = new Waiting(context);
        this.stalls = new StallWatch(context);
        this.sources = new SourceKeeper(context, waiting);
        this.ending = new Ending(context, sources);
        this.chunks = new ChunkPipeline(context, sources, stalls, ending);
        this.commits = new GroupCommit(context, ending);
        this.partials = new PartialHolders(context, sources);
    }

    /** A new download: RUNNING while the holders are asked. */
    public static Download start(String id, DownloadRequest request, EngineServices services, EngineSettings settings) {
        Download download = new Download(id, request, services, settings, DownloadState.RUNNING);
        download.context.notifyBegin();
        download.context.onSerial(download::prepare);
        return download;
    }

    /** A download a previous run left: WAITING until its holders are found, its verified chunks kept. */
    public static Download recover(String id, DownloadRequest request, Optional<DownloadStore> store,
            EngineServices services, EngineSettings settings) {
        Download download = new Download(id, request, services, settings, DownloadState.RUNNING);
        DownloadContext context = download.context;
        context.waitForHolders = true;
        store.ifPresent(s -> {
            context.store = s;
            context.version = s.manifest().version();
            context.doneBytes = doneBytes(s.layout(), s.done());
            context.reusedBytes = s.reusedBytes();
            services.reservations().hold(id, bytesLeft(s.layout(), s.done()));
        });
        context.lifecycle.toWaiting(Sentences.WAITING_FOR_HOLDERS);
        context.publish();
        context.notifyBegin();
        context.onSerial(() -> {
            download.waiting.startTimer();
            download.prepare();
        });
        return download;
    }

    public String id() {
        return context.id;
    }

    public String gameId() {
        return context.gameId();
    }

    public DownloadStatus status() {
        return context.snapshot();
    }

    /** What other peers may read of this download now (swarming): its verified chunks, while it fetches. */
    public Optional<StagedCopy> sharedCopy() {
        return Optional.ofNullable(context.shared).filter(copy -> !copy.closed());
    }

    /** Completes with the final status once the download ended. */
    public CompletableFuture<DownloadStatus> end() {
        return ending.future();
    }

    // --- entry points from other threads

    public CompletableFuture<Boolean> cancel() {
        context.cancelRequested = true;
        CompletableFuture<Boolean> accepted = new CompletableFuture<>();
        context.onSerial(() -> accepted.complete(ending.endWith(DownloadState.CANCELLED, null)));
        return accepted;
    }

    public CompletableFuture<Boolean> resume() {
        CompletableFuture<Boolean> resumed = new CompletableFuture<>();
        context.onSerial(() -> {
            if (context.stopped || lifecycle.state() != DownloadState.INTERRUPTED) {
                resumed.complete(false);
                return;
            }
            context.waitForHolders = true;
            waiting.enter(context.scheduler == null ? Sentences.WAITING_FOR_HOLDERS : Sentences.WAITING_FOR_PEERS);
            lookForHolders();
            resumed.complete(true);
        });
        return resumed;
    }

    public void peerLost(String peerId) {
        context.onSerial(() -> {
            if (context.sources.contains(peerId)) {
                LOG.info("download {}: source {} left", context.id, peerId);
                sources.remove(peerId, null);
            }
        });
    }

    /** A peer was found or its game list changed: it may be a new source, or no longer one. */
    public void peerListed(PeerInfo peer) {
        context.onSerial(() -> {
            if (lifecycle.ending() || lifecycle.state() == DownloadState.INTERRUPTED || context.preparing) {
                return;
            }
            if (context.scheduler == null) {
                if (lifecycle.state() == DownloadState.WAITING) {
                    prepare();
                }
                return;
            }
            sources.followMoves(); // a peer seen again may listen at another address now
            String version = context.version;
            boolean holds = peer.games().stream().anyMatch(g -> g.id().equals(gameId()) && g.version().equals(version));
            if (holds) {
                sources.askNewHolders();
            } else if (context.sources.get(peer.peerId()).filter(s -> !s.partial()).isPresent()) {
                // a partial source lists no such version until its own download finished
                sources.remove(peer.peerId(), HolderQuery.name(peer) + " no longer has version " + version
                        + " of the game; it is not used.");
            }
        });
    }

    /**
     * The manager's settings changed: the rest of this download uses them, without a pause. Most are read where
     * they are used; the limit of chunks in flight goes to every source (requests above a lowered limit finish),
     * a waiting download's timeout counts from when its wait began, and swarming starts or stops sharing.
     */
    public void reconfigure(EngineSettings next) {
        context.onSerial(() -> {
            EngineSettings before = context.settings;
            context.settings = next;
            if (context.stopped || lifecycle.ending()) {
                return;
            }
            if (next.chunksPerSource() != before.chunksPerSource()) {
                context.sources.all().forEach(s -> s.capacity(next.chunksPerSource()));
            }
            if (next.waitingTimeoutMillis() != before.waitingTimeoutMillis()) {
                waiting.retime();
            }
            if (next.swarm() != before.swarm()) {
                swarmingChanged(next.swarm());
            }
            if (context.scheduler != null && lifecycle.state() == DownloadState.RUNNING && !lifecycle.ending()) {
                context.scheduler.sourcesChanged();
                context.scheduler.fill();
            }
        });
    }

    /** Swarming turned on: share what is verified and ask for partial copies; off: stop both. */
    private void swarmingChanged(boolean on) {
        if (context.scheduler == null) {
            return; // fetching has not started: it starts with the new setting
        }
        if (on) {
            if (context.shared == null) {
                context.shared = context.badChunks.share();
            }
            partials.askNow();
            return;
        }
        context.unshare();
        context.sharedBytes = 0;
        context.sources.all().stream().filter(Source::partial).map(Source::peerId).toList()
                .forEach(peerId -> sources.remove(peerId, null));
    }

    /** Every progress interval: moved sources, stalled sources, due commits, coalesced progress news. */
    public void tick() {
        context.onSerial(() -> {
            if (context.stopped || lifecycle.state().ended()) {
                return;
            }
            sources.followMoves();
            stalls.detectStalls();
            commits.onTick();
            if (context.scheduler != null && lifecycle.state() == DownloadState.RUNNING && !lifecycle.ending()) {
                context.scheduler.fill(); // a planner that left a link idle gets another chance (endgame lateness grows)
                sources.waitIfNobodyCanServe();
            }
            if (context.scheduler != null && !lifecycle.ending()) {
                partials.onTick();
            }
            context.sharedBytes = sharedBytes();
            if (lifecycle.state() == DownloadState.WAITING && !context.preparing && waiting.recheckDue()) {
                lookForHolders();
            }
            context.notifyProgressIfChanged();
        });
    }

    /** The manager stops: nothing more happens, the store stays on disk to be recovered. */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> stoppedNow = new CompletableFuture<>();
        context.onSerial(() -> {
            context.stopped = true;
            context.unshare();
            context.loans.refuseNew();
            if (context.scheduler != null) {
                context.scheduler.close();
            }
            sources.clearRequests();
            stoppedNow.complete(null);
        });
        return stoppedNow;
    }

    /**
     * After {@link #stop()} and once the workers are idle: releases the received chunks still held (and any
     * that arrive later) and closes the store, which commits what it wrote.
     */
    public void closeStore() {
        context.loans.releaseAll();
        DownloadStore open = context.store;
        if (open != null && !lifecycle.state().ended()) {
            open.close();
        }
    }

    /** Before fetching started: prepare (again); while fetching: ask the holders not yet sources. */
    private void lookForHolders() {
        if (context.scheduler == null) {
            prepare();
        } else {
            sources.askNewHolders();
        }
    }

    // --- preparation

    private void prepare() {
        if (context.stopped || lifecycle.ending() || context.preparing) {
            return;
        }
        context.preparing = true;
        new Preparation(context.services, context.id, context.request).run(context.store, () -> context.cancelRequested)
                .whenComplete((outcome, failure) -> {
                    Preparation.Outcome result = outcome != null ? outcome
                            : new Preparation.Failed("An unexpected error stopped the download.", List.of());
                    if (failure != null
                            && !(Sentences.unwrap(failure) instanceof java.util.concurrent.RejectedExecutionException)) {
                        LOG.error("download {}: preparing failed", context.id, failure); // a rejection only means the manager stopped
                    }
                    context.onSerial(() -> prepared(result));
                });
    }

    private void prepared(Preparation.Outcome outcome) {
        context.preparing = false;
        for (String note : outcome.notes()) {
            LOG.warn("download {} of {}: {}", context.id, gameId(), note);
            lifecycle.note(note);
        }
        if (outcome instanceof Preparation.Ready ready && ready.store() != context.store) {
            if (context.stopped || lifecycle.ending()) {
                context.onWorker(ready.store()::discard); // the end already cleaned up the rest
                return;
            }
            context.store = ready.store();
            if (ready.replaced() != null) {
                String note = "Switched to version " + context.store.manifest().version() + ": the holders now have it.";
                LOG.info("download {} of {}: {}", context.id, gameId(), note);
                lifecycle.note(note);
                context.onWorker(ready.replaced()::discard);
            }
        }
        if (context.stopped || lifecycle.ending()) {
            return;
        }
        if (outcome instanceof Preparation.Failed failed) {
            ending.endWith(DownloadState.FAILED, failed.sentence());
        } else if (outcome instanceof Preparation.NoHolders none) {
            if (context.waitForHolders) {
                waiting.enter(Sentences.WAITING_FOR_HOLDERS);
            } else {
                ending.endWith(DownloadState.FAILED, none.failureIfFresh());
            }
        } else if (outcome instanceof Preparation.Ready ready) {
            startFetching(ready.ballots());
        }
    }

    private void startFetching(List<Ballot> ballots) {
        DownloadStore store = context.store;
        ChunkLayout layout = store.layout();
        context.layout = layout;
        context.files = new FileIndex(layout);
        ChunkBoard board = new ChunkBoard(layout.chunkCount(), store.done());
        context.board = board;
        context.version = layout.manifest().version();
        context.doneBytes = doneBytes(layout, board.done());
        context.reusedBytes = store.reusedBytes();
        EnginePlanningContext planning = new EnginePlanningContext(context.id, gameId(), layout, board, context.sources);
        context.planning = planning;
        context.scheduler = new Scheduler(planning, board, context.sources, context.services.planner(),
                context.services.builtinPlanner(), chunks::send);
        for (Ballot b : ballots) {
            if (context.services.directory().peer(b.peer().peerId()).isPresent()) {
                sources.add(b.peer(), b.manifest());
            }
        }
        LOG.info("download {} of {} {}: {} chunks, {} done, {} source(s)", context.id, gameId(), context.version,
                board.count(), board.doneCount(), context.sources.size());
        if (board.remaining() == 0) {
            ending.finish();
            return;
        }
        context.unshare(); // a version switch: the old store is no longer shared
        if (context.settings.swarm()) {
            context.shared = context.badChunks.share();
        }
        sources.askNewHolders();
        partials.askNow();
        if (context.sources.isEmpty()) {
            waiting.enter(Sentences.WAITING_FOR_PEERS);
        } else {
            context.scheduler.fill();
        }
    }

    /** The bytes other peers may fetch from this download now: its verified, durable chunks, when shared. */
    private long sharedBytes() {
        StagedCopy copy = context.shared;
        return copy == null || context.layout == null ? 0 : doneBytes(context.layout, copy.held());
    }

    /** The bytes of the chunks not yet on disk: what the download will still write. */
    private static long bytesLeft(ChunkLayout layout, java.util.BitSet done) {
        long bytes = 0;
        for (int i = 0; i < layout.chunkCount(); i++) {
            if (!done.get(i)) {
                bytes += layout.chunk(i).length();
            }
        }
        return bytes;
    }

    private static long doneBytes(ChunkLayout layout, java.util.BitSet done) {
        long bytes = 0;
        for (int i = done.nextSetBit(0); i >= 0 && i < layout.chunkCount(); i = done.nextSetBit(i + 1)) {
            bytes += layout.chunk(i).length();
        }
        return bytes;
    }
}
