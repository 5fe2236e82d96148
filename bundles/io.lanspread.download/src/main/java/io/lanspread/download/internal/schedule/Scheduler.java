package io.lanspread.download.internal.schedule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.download.internal.source.Source;
import io.lanspread.download.internal.source.SourceSet;

/**
 * Pulls requests from the planner session whenever a source has room for a batch, checks them against what
 * the SPI promises (no chunk that is done, not held, already asked of that source, or - outside the endgame -
 * in flight elsewhere; never more than the room) and hands the accepted chunks of a source to the dispatcher
 * in calls of up to {@link #MAX_CHUNKS_PER_CALL}. Swaps the session when the planner service changed, and
 * stands in with the built-in planner for a round when the current one throws or leaves every link idle.
 * Runs on the download's serial executor only.
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** Chunks asked of a source in one call at most. */
    public static final int MAX_CHUNKS_PER_CALL = 16;
    /** A source is refilled once this many chunks fit (at most half its capacity), so calls carry several. */
    static final int REFILL_BATCH = 4;

    /** Sends chunk requests to a source, all in one call. */
    public interface Dispatcher {
        void send(Source source, List<Integer> chunks);
    }

    private final EnginePlanningContext context;
    private final ChunkBoard board;
    private final SourceSet sources;
    private final Supplier<DownloadPlanner> currentPlanner;
    private final DownloadPlanner builtin;
    private final Dispatcher dispatcher;

    private DownloadPlanner sessionPlanner;
    private PlannerSession session;
    private PlannerSession builtinSession;
    /** A planner whose open() threw; not tried again until the service changes. */
    private DownloadPlanner brokenPlanner;
    private int rotation;
    private PlannerSession warnedAbout;
    private boolean closed;

    public Scheduler(EnginePlanningContext context, ChunkBoard board, SourceSet sources,
            Supplier<DownloadPlanner> currentPlanner, DownloadPlanner builtin, Dispatcher dispatcher) {
        this.context = context;
        this.board = board;
        this.sources = sources;
        this.currentPlanner = currentPlanner;
        this.builtin = builtin;
        this.dispatcher = dispatcher;
    }

    /** The planner whose session plans now (for logs and tests). */
    public String plannerName() {
        return sessionPlanner == null ? builtin.name() : safeName(sessionPlanner);
    }

    /** One planning round: every source with room is asked for its next requests. */
    public void fill() {
        if (closed) {
            return;
        }
        PlannerSession current = currentSession();
        List<Source> usable = sources.usable();
        int sent = 0;
        for (int k = 0; k < usable.size(); k++) {
            Source source = usable.get((k + rotation) % usable.size());
            int room = source.room();
            if (room > 0 && room >= refillAt(source.capacity(), board.open())) {
                sent += plan(current, source, room, false);
            }
        }
        rotation++;
        if (sent == 0 && current != builtinSession() && nothingInFlight() && board.open() > 0) {
            // the planner left every link idle with work open: never let that stop a download
            for (Source source : usable) {
                int room = source.room();
                if (room > 0) {
                    plan(builtinSession(), source, room, true);
                }
            }
        }
    }

    /**
     * The room a source needs before it is refilled: a batch of {@link #REFILL_BATCH} (half its capacity when
     * smaller), or less when fewer chunks are open (the end of a download, endgame copies), so nothing stalls.
     */
    static int refillAt(int capacity, int open) {
        int batch = Math.max(1, Math.min(REFILL_BATCH, capacity / 2));
        return Math.max(1, Math.min(batch, open));
    }

    private boolean nothingInFlight() {
        for (Source source : sources.all()) {
            if (source.inFlight() > 0) {
                return false;
            }
        }
        return true;
    }

    private int plan(PlannerSession planning, Source source, int room, boolean standIn) {
        List<PlannedRequest> planned;
        try {
            planned = planning.next(source, room);
        } catch (RuntimeException e) {
            if (warnedAbout != planning) {
                warnedAbout = planning; // once per session: a broken planner would otherwise log per chunk
                LOG.warn("planner {} failed for download {}; the built-in planner stands in for such rounds",
                        plannerName(), context.downloadId(), e);
            } else {
                LOG.debug("planner {} failed again for download {}", plannerName(), context.downloadId(), e);
            }
            if (planning == builtinSession()) {
                return 0;
            }
            return plan(builtinSession(), source, room, true);
        }
        if (planned == null) {
            return standIn || planning == builtinSession() ? 0 : plan(builtinSession(), source, room, true);
        }
        boolean endgame = source.complete() ? board.open() == 0 : !board.anyOpen(source::has);
        Set<Integer> seen = new HashSet<>();
        List<Integer> accepted = new ArrayList<>();
        for (PlannedRequest request : planned) {
            if (request == null || !source.peerId().equals(request.peerId())) {
                continue; // a request for another source, or nonsense: that source plans for itself
            }
            for (Integer index : request.chunks()) {
                if (accepted.size() >= room) {
                    break;
                }
                if (acceptable(source, index, endgame) && seen.add(index)) {
                    accepted.add(index);
                }
            }
        }
        for (int from = 0; from < accepted.size(); from += MAX_CHUNKS_PER_CALL) {
            int to = Math.min(accepted.size(), from + MAX_CHUNKS_PER_CALL);
            dispatcher.send(source, List.copyOf(accepted.subList(from, to)));
        }
        return accepted.size();
    }

    private boolean acceptable(Source source, Integer index, boolean endgame) {
        if (index == null || index < 0 || index >= board.count()) {
            return false;
        }
        if (board.isSettled(index) || !source.has(index) || source.isRequested(index)) {
            return false;
        }
        // a second copy only in the endgame (or for a stalled source's chunk, which counts as open)
        return endgame || board.isOpen(index);
    }

    private PlannerSession currentSession() {
        DownloadPlanner wanted = currentPlanner.get();
        if (wanted == null || wanted == brokenPlanner) {
            if (session != null) { // the planner in use went away (or broke): its session is over
                String left = safeName(sessionPlanner);
                closeSession();
                LOG.info("download {}: planner {} is gone; the built-in planner {} took over", context.downloadId(),
                        left, safeName(builtin));
            }
            return builtinSession();
        }
        if (wanted != sessionPlanner) {
            closeSession();
            try {
                session = wanted.open(context);
                sessionPlanner = wanted;
                LOG.info("download {} plans with {}", context.downloadId(), safeName(wanted));
            } catch (RuntimeException e) {
                LOG.warn("planner {} could not open a session for download {}; using the built-in planner",
                        safeName(wanted), context.downloadId(), e);
                brokenPlanner = wanted;
                return builtinSession();
            }
            if (session == null) {
                brokenPlanner = wanted;
                sessionPlanner = null;
                return builtinSession();
            }
        }
        return session;
    }

    private PlannerSession builtinSession() {
        if (builtinSession == null) {
            builtinSession = builtin.open(context);
        }
        return builtinSession;
    }

    // --- events, forwarded to every open session

    public void chunkDone(Chunk chunk, Source from) {
        forEachSession(s -> s.chunkDone(chunk, from));
    }

    public void chunkFailed(Chunk chunk, Source from) {
        forEachSession(s -> s.chunkFailed(chunk, from));
    }

    public void sourcesChanged() {
        forEachSession(PlannerSession::sourcesChanged);
    }

    public void close() {
        closed = true;
        closeSession();
        if (builtinSession != null) {
            quietly(builtinSession, PlannerSession::close);
            builtinSession = null;
        }
    }

    private void closeSession() {
        if (session != null) {
            quietly(session, PlannerSession::close);
        }
        session = null;
        sessionPlanner = null;
    }

    private void forEachSession(java.util.function.Consumer<PlannerSession> call) {
        List<PlannerSession> open = new ArrayList<>(2);
        if (session != null) {
            open.add(session);
        }
        if (builtinSession != null) {
            open.add(builtinSession);
        }
        open.forEach(s -> quietly(s, call));
    }

    private void quietly(PlannerSession target, java.util.function.Consumer<PlannerSession> call) {
        try {
            call.accept(target);
        } catch (RuntimeException e) {
            LOG.warn("planner session of download {} failed", context.downloadId(), e);
        }
    }

    private static String safeName(DownloadPlanner planner) {
        try {
            return planner.name();
        } catch (RuntimeException e) {
            return planner.getClass().getName();
        }
    }
}
