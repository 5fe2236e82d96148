package io.lanspread.download.internal.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerName;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

/**
 * The default planner. Pull-based: a source that has room takes the next open chunks in chunk order (from
 * the download's start, see {@link PlanningContext#startChunk()}), so a fast link comes back for more sooner
 * and gets more; once some sources are partial copies (swarming) it takes the rarest of them first. Its chunks in flight are capped in proportion to its
 * measured throughput (a slow link holds only a few chunks, so the tail does not wait on it), while every
 * link keeps at least two. Endgame: once a source finds nothing open that it holds, it asks for chunks still
 * in flight on other sources that are late there, those on the slowest source first; the first verified
 * copy wins and the manager drops the others.
 */
@Component(name = "io.lanspread.download.planner.adaptive", service = DownloadPlanner.class)
@PlannerName(AdaptivePlanner.NAME)
@ServiceRanking(10)
public class AdaptivePlanner implements DownloadPlanner {
    public static final String NAME = "adaptive";

    /** Every link keeps at least this many chunks in flight, however slow it measured. */
    static final int MIN_IN_FLIGHT = 2;
    /** A chunk this late is worth a second copy even when nothing is measured yet. */
    static final long LATE_MILLIS = 1000;
    /** Below this, lateness is noise. */
    static final long MIN_LATE_MILLIS = 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlannerSession open(PlanningContext context) {
        return new Session(context);
    }

    private static final class Session implements PlannerSession {
        private final PlanningContext context;
        private final OpenChunks open;
        /** Chunk -> the source this session first asked for it; lets the endgame prefer the slowest link. */
        private final Map<Integer, String> askedFrom = new HashMap<>();
        private int firstNotDone;

        Session(PlanningContext context) {
            this.context = context;
            this.open = new OpenChunks(context);
        }

        @Override
        public List<PlannedRequest> next(SourceView source, int room) {
            int want = Math.min(room, target(source) - source.inFlight());
            if (want <= 0) {
                return List.of();
            }
            List<Integer> chunks = pickOpen(source, want);
            if (chunks.isEmpty()) {
                chunks = endgame(source, want);
            }
            for (Integer chunk : chunks) {
                askedFrom.putIfAbsent(chunk, source.peerId());
            }
            return OpenChunks.requests(context, source, chunks);
        }

        /**
         * Open chunks the source holds. While every source holds the whole game, in chunk order; once some are
         * partial copies (swarming), the rarest first: the chunks fewest sources hold, so that a complete holder's
         * link goes to what only it has, and partial holders spread what they got.
         */
        private List<Integer> pickOpen(SourceView source, int want) {
            List<SourceView> all = context.sources();
            if (all.stream().allMatch(SourceView::complete)) {
                return open.take(want, source::has);
            }
            IntPredicate take = source.complete() ? i -> source.has(i) && !leftToAPartialCopy(i, source, all)
                    : source::has;
            return open.takeRarest(want, take, i -> {
                int holders = 0;
                for (SourceView s : all) {
                    if (s.has(i)) {
                        holders++;
                    }
                }
                return holders;
            });
        }

        /**
         * Whether a complete holder leaves chunk {@code index} to a partial copy that holds it: one at least half
         * as fast as the complete holder. A complete holder's uplink is what every downloader of the game shares,
         * and the only place for chunks no partial copy has yet; what partial copies have, they spread among
         * themselves. A slower partial copy, or one not measured yet, does not hold the complete holder back.
         */
        private static boolean leftToAPartialCopy(int index, SourceView complete, List<SourceView> all) {
            long fast = complete.bytesPerSecond();
            for (SourceView s : all) {
                if (s != complete && !s.complete() && s.has(index) && s.bytesPerSecond() > 0
                        && s.bytesPerSecond() * 2 >= fast) {
                    return true;
                }
            }
            return false;
        }

        /** Chunks in flight from exactly one other source, slowest source first, then file order. */
        private List<Integer> endgame(SourceView source, int want) {
            int count = context.chunkCount();
            while (firstNotDone < count && context.isDone(firstNotDone)) {
                firstNotDone++;
            }
            List<Integer> candidates = new ArrayList<>();
            for (int i = firstNotDone; i < count; i++) {
                if (!context.isDone(i) && context.inFlight(i) == 1 && source.has(i)
                        && !source.peerId().equals(askedFrom.get(i))) {
                    candidates.add(i);
                }
            }
            Comparator<Integer> slowestFirst = Comparator.comparingLong(this::holderSpeed);
            candidates.sort(slowestFirst.thenComparing(Comparator.naturalOrder()));
            List<Integer> chosen = new ArrayList<>(want);
            for (Integer i : candidates) {
                if (chosen.size() >= want) {
                    break;
                }
                if (worthACopy(i, source)) {
                    chosen.add(i);
                }
            }
            return chosen;
        }

        /**
         * Whether asking {@code source} for chunk {@code index} too is likely to finish it sooner: its holder is
         * clearly slower, or has been silent for longer than two chunks take at this source's speed. A source
         * that has not delivered yet cannot judge, and copies only what is more than a second late; so equal
         * links and small updates do not fetch chunks twice.
         */
        private boolean worthACopy(int index, SourceView source) {
            Optional<SourceView> holder = holder(index);
            if (holder.isEmpty()) {
                return true; // asked by an earlier session, or its source left: nothing to judge by
            }
            long mine = source.bytesPerSecond();
            long theirs = holder.get().bytesPerSecond();
            long idle = holder.get().idleMillis();
            if (mine == 0) {
                return idle > LATE_MILLIS;
            }
            if (theirs > 0 && theirs * 2 < mine) {
                return true;
            }
            long twoChunksMillis = 2L * context.chunk(index).length() * 1000 / mine;
            return idle > Math.max(MIN_LATE_MILLIS, twoChunksMillis);
        }

        /** The throughput of the source first asked for a chunk; unknown (asked by an earlier session) sorts last. */
        private long holderSpeed(int chunk) {
            return holder(chunk).map(SourceView::bytesPerSecond).orElse(Long.MAX_VALUE);
        }

        private Optional<SourceView> holder(int chunk) {
            String peerId = askedFrom.get(chunk);
            return peerId == null ? Optional.empty() : context.source(peerId);
        }

        /** Chunks this source may have in flight: its share of the capacity by measured speed. */
        private int target(SourceView source) {
            long fastest = 0;
            for (SourceView other : context.sources()) {
                fastest = Math.max(fastest, other.bytesPerSecond());
            }
            long mine = source.bytesPerSecond();
            if (fastest == 0 || mine == 0) {
                return source.capacity(); // nothing measured yet: keep the link busy
            }
            int scaled = (int) Math.ceil((double) source.capacity() * mine / fastest);
            return Math.max(Math.min(MIN_IN_FLIGHT, source.capacity()), scaled);
        }

        @Override
        public void chunkDone(Chunk chunk, SourceView from) {
            askedFrom.remove(chunk.index());
        }

        @Override
        public void chunkFailed(Chunk chunk, SourceView from) {
            askedFrom.remove(chunk.index(), from.peerId());
            open.reopened(chunk.index());
        }

        @Override
        public void sourcesChanged() {
            askedFrom.values().removeIf(peerId -> context.source(peerId).isEmpty());
            open.rewind();
        }
    }
}
