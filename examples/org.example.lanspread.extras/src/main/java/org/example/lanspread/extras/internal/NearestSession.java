package org.example.lanspread.extras.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

/**
 * The {@code nearest} planner's state for one download. Sources on this host's own subnet are near, all others
 * far. A near source takes the next open chunks it holds, in file order, up to its room. A far source takes the
 * chunks no near source holds, and of the others only enough to deliver {@code far.share.percent} (25) of what the
 * near sources deliver together; so the bulk of a download crosses no router when the near sources have the data,
 * and a far source still helps, and stays measured. Endgame: a source that finds nothing open asks for chunks
 * whose only request is late at its holder (older than {@code endgame.late.millis} and than three of the holder's
 * usual chunk times), oldest first, near sources before far ones. Runs on the download's serial executor only, as
 * the SPI promises, so nothing is locked.
 */
final class NearestSession implements PlannerSession {

    /** A request of one chunk from one source, and when it was planned. */
    private record Ask(String peerId, long nanos) {
    }

    private final PlanningContext context;
    private final Supplier<NearestPlanner.Settings> settings;
    private final Supplier<LocalNetworks> networksOfThisHost;
    private final LongSupplier nanoClock;
    private final PlanTally tally;
    private LocalNetworks networks;
    /** Chunk -> the first request this session planned for it. */
    private final Map<Integer, Ask> asked = new HashMap<>();
    /** Chunk -> the endgame copy this session planned for it. */
    private final Map<Integer, Ask> copies = new HashMap<>();
    /** Chunk -> when this session first saw it in flight without having asked for it (an earlier planner did). */
    private final Map<Integer, Long> inheritedSince = new HashMap<>();
    /** Peer id -> smoothed milliseconds from planning a chunk to its verified arrival. */
    private final Map<String, Double> chunkMillis = new HashMap<>();
    /** No chunk before it is open (neither done nor in flight). */
    private int firstOpen;
    /** No chunk before it is still to be done. */
    private int firstNotDone;

    NearestSession(PlanningContext context, Supplier<NearestPlanner.Settings> settings,
            Supplier<LocalNetworks> networks, LongSupplier nanoClock, PlanTally tally) {
        this.context = context;
        this.settings = settings;
        this.networksOfThisHost = networks;
        this.networks = networks.get();
        this.nanoClock = nanoClock;
        this.tally = tally;
    }

    @Override
    public List<PlannedRequest> next(SourceView source, int room) {
        int want = Math.min(room, source.capacity() - source.inFlight());
        if (want <= 0) {
            return List.of();
        }
        List<SourceView> near = isNear(source) ? List.of() : nearSources();
        List<Integer> chunks = open(source, want, near, contestedAllowance(source, near, want));
        boolean endgame = false;
        if (chunks.isEmpty() && !anyOpenHeldBy(source)) {
            chunks = endgame(source, want, withRoom(near));
            endgame = !chunks.isEmpty();
        }
        long now = nanoClock.getAsLong();
        for (Integer i : chunks) {
            Ask ask = new Ask(source.peerId(), now);
            if (endgame) {
                copies.put(i, ask);
            } else {
                asked.put(i, ask);
            }
        }
        List<PlannedRequest> requests = requests(source, chunks);
        tally.planned(context.downloadId(), source.peerId(), requests.size(), chunks.size(), endgame);
        return requests;
    }

    /**
     * How many chunks that a near source holds too a far source may take now: as many as it has room for while it
     * delivers less than {@code far.share.percent} of what the near sources deliver together; one in flight while
     * nothing is measured yet (so its speed gets known); none otherwise. Pacing by rate, not by chunks in flight:
     * on a LAN one or two chunks in flight already fill a link.
     */
    private int contestedAllowance(SourceView source, List<SourceView> near, int want) {
        if (near.isEmpty()) {
            return want;
        }
        int percent = settings.get().farSharePercent();
        long nearRate = 0;
        for (SourceView s : near) {
            nearRate += s.bytesPerSecond();
        }
        if (nearRate == 0) {
            return percent > 0 ? Math.max(0, 1 - source.inFlight()) : 0;
        }
        return source.bytesPerSecond() * 100 < nearRate * percent ? want : 0;
    }

    /** Up to {@code want} open chunks it holds, in file order; at most {@code contested} of them also near-held. */
    private List<Integer> open(SourceView source, int want, List<SourceView> near, int contested) {
        int count = context.chunkCount();
        while (firstOpen < count && !isOpen(firstOpen)) {
            firstOpen++;
        }
        if (contested == 0 && near.stream().anyMatch(SourceView::complete)) {
            return List.of(); // a near source holds every chunk: it takes them
        }
        List<Integer> taken = new ArrayList<>(want);
        for (int i = firstOpen; i < count && taken.size() < want; i++) {
            if (!isOpen(i) || !source.has(i)) {
                continue;
            }
            if (heldByAny(near, i)) {
                if (contested == 0) {
                    continue;
                }
                contested--;
            }
            taken.add(i);
        }
        return taken;
    }

    /**
     * Chunks in flight once, at another source, that are late there: oldest first. A far source leaves those a
     * near source with room could copy.
     */
    private List<Integer> endgame(SourceView source, int want, List<SourceView> nearWithRoom) {
        long now = nanoClock.getAsLong();
        int count = context.chunkCount();
        while (firstNotDone < count && context.isDone(firstNotDone)) {
            firstNotDone++;
        }
        List<long[]> late = new ArrayList<>(); // {chunk, age in millis}
        for (int i = firstNotDone; i < count; i++) {
            if (context.isDone(i) || context.inFlight(i) != 1 || !source.has(i) || copies.containsKey(i)) {
                continue;
            }
            Ask first = asked.get(i);
            if (first != null && first.peerId().equals(source.peerId())) {
                continue; // in flight from this very source
            }
            long since = first != null ? first.nanos() : inheritedSince.computeIfAbsent(i, k -> now);
            long age = (now - since) / 1_000_000L;
            if (age > lateAfterMillis(first) && !heldByAny(nearWithRoom, i)) {
                late.add(new long[] {i, age});
            }
        }
        late.sort(Comparator.comparingLong((long[] a) -> -a[1]).thenComparingLong(a -> a[0]));
        List<Integer> chosen = new ArrayList<>(want);
        for (int k = 0; k < late.size() && chosen.size() < want; k++) {
            chosen.add((int) late.get(k)[0]);
        }
        return chosen;
    }

    /** How old a chunk's request must be to count as late: the configured floor, or three usual chunk times. */
    private long lateAfterMillis(Ask first) {
        double usual = first == null ? 0 : chunkMillis.getOrDefault(first.peerId(), 0.0);
        return Math.max(settings.get().lateMillis(), (long) (3 * usual));
    }

    /** The sources on this host's subnet that may be asked now. */
    private List<SourceView> nearSources() {
        List<SourceView> near = new ArrayList<>();
        for (SourceView s : context.sources()) {
            if (isNear(s)) {
                near.add(s);
            }
        }
        return near;
    }

    private static List<SourceView> withRoom(List<SourceView> sources) {
        return sources.stream().filter(s -> s.inFlight() < s.capacity()).toList();
    }

    boolean isNear(SourceView source) {
        return source.address() != null && networks.isLocal(source.address().getAddress());
    }

    private boolean anyOpenHeldBy(SourceView source) {
        for (int i = firstOpen; i < context.chunkCount(); i++) {
            if (isOpen(i) && source.has(i)) {
                return true;
            }
        }
        return false;
    }

    private boolean isOpen(int index) {
        return !context.isDone(index) && context.inFlight(index) == 0;
    }

    private static boolean heldByAny(List<SourceView> sources, int index) {
        for (SourceView s : sources) {
            if (s.has(index)) {
                return true;
            }
        }
        return false;
    }

    /** Consecutive chunks of one file go into one request. */
    private List<PlannedRequest> requests(SourceView source, List<Integer> chunks) {
        List<PlannedRequest> requests = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        for (Integer index : chunks) {
            if (!run.isEmpty()) {
                int last = run.get(run.size() - 1);
                if (index != last + 1 || !context.chunk(index).path().equals(context.chunk(last).path())) {
                    requests.add(new PlannedRequest(source.peerId(), run));
                    run = new ArrayList<>();
                }
            }
            run.add(index);
        }
        if (!run.isEmpty()) {
            requests.add(new PlannedRequest(source.peerId(), run));
        }
        return requests;
    }

    @Override
    public void chunkDone(Chunk chunk, SourceView from) {
        int i = chunk.index();
        long now = nanoClock.getAsLong();
        for (Ask ask : new Ask[] {asked.remove(i), copies.remove(i)}) {
            if (ask != null && ask.peerId().equals(from.peerId())) {
                double sample = (now - ask.nanos()) / 1e6;
                chunkMillis.merge(from.peerId(), sample, (old, s) -> 0.8 * old + 0.2 * s);
            }
        }
        inheritedSince.remove(i);
    }

    @Override
    public void chunkFailed(Chunk chunk, SourceView from) {
        int i = chunk.index();
        forget(asked, i, from);
        forget(copies, i, from);
        firstOpen = Math.min(firstOpen, i); // open again
        firstNotDone = Math.min(firstNotDone, i);
    }

    private static void forget(Map<Integer, Ask> asks, int index, SourceView from) {
        Ask ask = asks.get(index);
        if (ask != null && ask.peerId().equals(from.peerId())) {
            asks.remove(index);
        }
    }

    @Override
    public void sourcesChanged() {
        networks = networksOfThisHost.get(); // the networks as last listed: one may have come up since
        asked.values().removeIf(a -> context.source(a.peerId()).isEmpty());
        copies.values().removeIf(a -> context.source(a.peerId()).isEmpty());
        chunkMillis.keySet().removeIf(peerId -> context.source(peerId).isEmpty());
        firstOpen = 0; // chunks of a source that left are open again
        firstNotDone = 0;
    }

    @Override
    public void close() {
        tally.closed(context.downloadId());
    }

    /** The smoothed chunk time of a source, for tests. */
    Optional<Double> chunkMillis(String peerId) {
        return Optional.ofNullable(chunkMillis.get(peerId));
    }
}
