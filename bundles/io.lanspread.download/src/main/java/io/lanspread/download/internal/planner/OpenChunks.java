package io.lanspread.download.internal.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

/**
 * Walks a download's open chunks (neither done nor in flight) in chunk order from the download's
 * {@link PlanningContext#startChunk() start}, wrapping around, without rescanning from the start every time: a
 * cursor skips what is settled and moves back when a chunk opens again.
 */
final class OpenChunks {
    /** Open chunks a source holds that are compared for rarity at most, per request, beyond those it asked. */
    static final int RARITY_WINDOW = 64;
    /** Open chunks looked at beyond the window at most, for chunks no other source holds. */
    static final int RARITY_SCAN = 4096;
    /** A run is taken from a random place only among at least this many times the chunks asked. */
    static final int SPREAD_FACTOR = 8;

    private final PlanningContext context;
    /** Seeded per download, so a download's choices repeat (tests) and two downloads' differ. */
    private final java.util.Random random;
    private int start;
    /** Steps from {@link #start}: everything before it is settled. */
    private int first;

    OpenChunks(PlanningContext context) {
        this.context = context;
        this.random = new java.util.Random(context.downloadId().hashCode());
        int count = context.chunkCount();
        this.start = count == 0 ? 0 : Math.floorMod(context.startChunk(), count);
    }

    boolean isOpen(int index) {
        return !context.isDone(index) && context.inFlight(index) == 0;
    }

    /** A chunk may be open again (it failed, or its source left or stalled). */
    void reopened(int index) {
        int count = context.chunkCount();
        first = Math.min(first, Math.floorMod(index - start, Math.max(1, count)));
    }

    void rewind() {
        first = 0;
    }

    /** The download moved its start (swarming began): walk from the new one. */
    private void followStart(int count) {
        int wanted = count == 0 ? 0 : Math.floorMod(context.startChunk(), count);
        if (wanted != start) {
            start = wanted;
            first = 0;
        }
    }

    private int at(int step, int count) {
        int index = start + step;
        return index >= count ? index - count : index;
    }

    /** Up to {@code max} open chunks in chunk order that {@code take} accepts. */
    List<Integer> take(int max, IntPredicate take) {
        int count = context.chunkCount();
        followStart(count);
        while (first < count && !isOpen(at(first, count))) {
            first++;
        }
        List<Integer> taken = new ArrayList<>(max);
        for (int step = first; step < count && taken.size() < max; step++) {
            int i = at(step, count);
            if (isOpen(i) && take.test(i)) {
                taken.add(i);
            }
        }
        return taken;
    }

    /**
     * Up to {@code max} open chunks that {@code take} accepts, the rarest first: of the first {@code max} +
     * {@link #RARITY_WINDOW} such chunks in chunk order, and further ones held by no other source (up to
     * {@link #RARITY_SCAN} more, so that a complete holder's link finds what only it has even where the next
     * chunks are held elsewhere too), those with the fewest {@code holders}, ties in chunk order. When many
     * more chunks than asked are the rarest, a run of them is taken from a random place among all of them
     * (random per download): peers fetching the same content from the same holder then rarely ask it for
     * the same chunks at once, which they cannot see of each other (in flight, or not yet in a have-map).
     */
    List<Integer> takeRarest(int max, IntPredicate take, IntUnaryOperator holders) {
        int count = context.chunkCount();
        followStart(count);
        while (first < count && !isOpen(at(first, count))) {
            first++;
        }
        int window = max + RARITY_WINDOW;
        int enoughOnlyHere = max * SPREAD_FACTOR;
        List<int[]> candidates = new ArrayList<>();
        int scanned = 0;
        // every open chunk within the scan, not only the first few held by no other source: a run is then taken
        // from anywhere among those (below), so downloads that pull from the same holder at once, whose starts
        // lie close together as the rarest chunks thin out, still ask it for different chunks
        for (int step = first; step < count && scanned < window + RARITY_SCAN; step++) {
            int i = at(step, count);
            if (!isOpen(i) || !take.test(i)) {
                continue;
            }
            scanned++;
            int rarity = holders.applyAsInt(i);
            if (candidates.size() < window || rarity <= 1) {
                candidates.add(new int[] {i, rarity});
            }
        }
        candidates.sort(Comparator.comparingInt(c -> c[1])); // stable: ties stay in chunk order
        int rarest = 0;
        while (rarest < candidates.size() && candidates.get(rarest)[1] == candidates.get(0)[1]) {
            rarest++;
        }
        int from = rarest >= enoughOnlyHere ? random.nextInt(rarest - max + 1) : 0;
        List<Integer> taken = new ArrayList<>(Math.min(max, candidates.size()));
        for (int k = from; k < candidates.size() && taken.size() < max; k++) {
            taken.add(candidates.get(k)[0]);
        }
        return taken;
    }

    /** Groups chunks into requests: consecutive chunks of one file go in one request. */
    static List<PlannedRequest> requests(PlanningContext context, SourceView source, List<Integer> chunks) {
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
}
