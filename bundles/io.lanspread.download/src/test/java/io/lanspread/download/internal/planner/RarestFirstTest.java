package io.lanspread.download.internal.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerSession;

/** The adaptive planner with partial sources (swarming): rarest first, its own start, and the endgame. */
class RarestFirstTest {

    private final AdaptivePlanner planner = new AdaptivePlanner();

    @Test
    void aCompleteHolderIsAskedFirstForWhatOnlyItHas() {
        PlannersTest.Context context = new PlannersTest.Context(12);
        PlannersTest.Src seeder = context.add("seeder");
        PlannersTest.Src partial = context.add("partial");
        partial.held = bits(0, 1, 2, 3, 4, 5);
        PlannerSession session = planner.open(context);

        // chunks 0-5 have two holders, 6-11 only the seeder: the seeder's link goes to those first
        assertThat(chunks(session.next(seeder, 4))).containsExactly(6, 7, 8, 9);
        // the partial holder is asked only for what it has
        assertThat(chunks(session.next(partial, 4))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aCompleteHolderLooksBeyondChunksOthersHoldForWhatOnlyItHas() {
        PlannersTest.Context context = new PlannersTest.Context(400);
        PlannersTest.Src seeder = context.add("seeder");
        PlannersTest.Src partial = context.add("partial");
        partial.held = new BitSet();
        partial.held.set(0, 300); // far more than the rarity window ahead of the cursor
        PlannerSession session = planner.open(context);
        List<Integer> run = chunks(session.next(seeder, 3));
        assertThat(run).as("chunks only the seeder has").allMatch(i -> i >= 300).hasSize(3);
        assertThat(run.get(2) - run.get(0)).as("consecutive: %s", run).isEqualTo(2);
    }

    @Test
    void downloadsWithManyRarestChunksTakeRunsFromPlacesOfTheirOwn() {
        java.util.Set<Integer> firsts = new java.util.HashSet<>();
        for (String id : List.of("d1", "d2", "d3", "d4")) {
            PlannersTest.Context context = new PlannersTest.Context(200);
            context.downloadId = id;
            PlannersTest.Src seeder = context.add("seeder");
            PlannersTest.Src partial = context.add("partial");
            partial.held = bits(0);
            PlannerSession session = planner.open(context);
            List<Integer> run = chunks(session.next(seeder, 4));
            assertThat(run).hasSize(4);
            assertThat(run.get(3) - run.get(0)).as("a run of consecutive chunks: %s", run).isEqualTo(3);
            assertThat(run).doesNotContain(0); // chunk 0 has two holders
            firsts.add(run.get(0));
        }
        assertThat(firsts).as("where four downloads start their runs").hasSizeGreaterThan(1);
    }

    @Test
    void runsAreTakenFromAnywhereAmongTheChunksOnlyTheSeederHasNotJustAfterTheStart() {
        int count = 1000;
        int beyondFirstFew = 0;
        for (int d = 0; d < 20; d++) {
            PlannersTest.Context context = new PlannersTest.Context(count);
            context.downloadId = "download-" + d;
            PlannersTest.Src seeder = context.add("seeder");
            PlannersTest.Src partial = context.add("partial");
            partial.held = bits(0);
            PlannerSession session = planner.open(context);
            List<Integer> run = chunks(session.next(seeder, 4));
            assertThat(run).hasSize(4).doesNotContain(0);
            // four downloads whose starts lie close together still ask the seeder for different chunks only if
            // their runs come from all over the 999 chunks, not from the first 32 after the start
            if (run.get(0) > 100) {
                beyondFirstFew++;
            }
        }
        assertThat(beyondFirstFew).as("of 20 downloads, runs starting beyond chunk 100").isGreaterThanOrEqualTo(10);
    }

    @Test
    void aCompleteHolderLeavesWhatAFastEnoughPartialCopyHasToIt() {
        PlannersTest.Context context = new PlannersTest.Context(6);
        PlannersTest.Src seeder = context.add("seeder");
        PlannersTest.Src partial = context.add("partial");
        seeder.bps = 10_000_000;
        partial.bps = 6_000_000; // more than half the seeder's speed
        partial.held = bits(0, 1, 2, 3);
        PlannerSession session = planner.open(context);
        // the seeder's uplink, which every downloader shares, goes only to what no partial copy has
        assertThat(chunks(session.next(seeder, 6))).containsExactly(4, 5);
        assertThat(chunks(session.next(partial, 6))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aCompleteHolderStillTakesWhatOnlyASlowOrUnmeasuredPartialCopyHas() {
        PlannersTest.Context context = new PlannersTest.Context(6);
        PlannersTest.Src seeder = context.add("seeder");
        PlannersTest.Src slow = context.add("slow");
        PlannersTest.Src fresh = context.add("fresh");
        seeder.bps = 10_000_000;
        slow.bps = 1_000_000; // a tenth of the seeder's speed
        slow.held = bits(0, 1);
        fresh.held = bits(2, 3); // nothing measured yet
        PlannerSession session = planner.open(context);
        assertThat(chunks(session.next(seeder, 6))).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void amongPartialHoldersTheRarestChunkComesFirst() {
        PlannersTest.Context context = new PlannersTest.Context(8);
        PlannersTest.Src a = context.add("a");
        PlannersTest.Src b = context.add("b");
        PlannersTest.Src c = context.add("c");
        a.held = bits(0, 1, 2, 3);
        b.held = bits(0, 1, 2);
        c.held = bits(0, 1);
        PlannerSession session = planner.open(context);
        // chunk 3: a alone; 2: a and b; 0 and 1: all three
        assertThat(chunks(session.next(a, 4))).containsExactly(3, 2, 0, 1);
    }

    @Test
    void withOnlyCompleteHoldersTheOrderIsChunkOrderFromTheStart() {
        PlannersTest.Context context = new PlannersTest.Context(10);
        context.start = 7;
        PlannersTest.Src a = context.add("a");
        PlannerSession session = planner.open(context);
        assertThat(chunks(session.next(a, 5))).containsExactly(7, 8, 9, 0, 1);
    }

    @Test
    void aChunkThatOpensAgainBeforeTheCursorIsFound() {
        PlannersTest.Context context = new PlannersTest.Context(6);
        context.start = 4;
        PlannersTest.Src a = context.add("a");
        PlannerSession session = planner.open(context);
        context.asked(session, a, 4, 5, 0);
        a.inFlight = 0;
        context.inFlight[4] = 0; // its request failed
        session.chunkFailed(context.chunk(4), a);
        assertThat(chunks(session.next(a, 2))).containsExactly(4, 1);
    }

    @Test
    void aPartialHolderJoinsTheEndgameForWhatItHolds() {
        PlannersTest.Context context = new PlannersTest.Context(4);
        PlannersTest.Src seeder = context.add("seeder");
        PlannersTest.Src partial = context.add("partial");
        partial.held = bits(3);
        PlannerSession session = planner.open(context);
        context.done.set(0, 3);
        context.asked(session, seeder, 3);
        seeder.idle = 5_000; // late: worth a second copy
        assertThat(chunks(session.next(partial, 2))).containsExactly(3);
    }

    private static BitSet bits(int... indices) {
        BitSet set = new BitSet();
        for (int i : indices) {
            set.set(i);
        }
        return set;
    }

    private static List<Integer> chunks(List<PlannedRequest> requests) {
        return requests.stream().flatMap(r -> r.chunks().stream()).toList();
    }
}
