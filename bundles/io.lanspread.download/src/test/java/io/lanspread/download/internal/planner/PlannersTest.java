package io.lanspread.download.internal.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

class PlannersTest {

    @Test
    void evenGivesEachSourceItsStripeInFileOrder() {
        Context context = new Context(10);
        Src a = context.add("a");
        Src b = context.add("b");
        PlannerSession session = new EvenPlanner().open(context);

        assertThat(chunks(session.next(a, 3))).containsExactly(0, 2, 4);
        assertThat(chunks(session.next(b, 8))).containsExactly(1, 3, 5, 7, 9);
    }

    @Test
    void aNewSessionSkipsWhatIsDoneOrInFlight() {
        Context context = new Context(6);
        Src a = context.add("a");
        context.done.set(0);
        context.inFlight[1] = 1;
        assertThat(chunks(new EvenPlanner().open(context).next(a, 8))).containsExactly(2, 3, 4, 5);
        assertThat(chunks(new AdaptivePlanner().open(context).next(a, 8))).containsExactly(2, 3, 4, 5);
    }

    @Test
    void adaptiveTakesTheNextOpenChunksAndGroupsConsecutiveOnes() {
        Context context = new Context(10);
        Src a = context.add("a");
        List<PlannedRequest> requests = new AdaptivePlanner().open(context).next(a, 4);
        assertThat(requests).containsExactly(new PlannedRequest("a", List.of(0, 1, 2, 3)));
    }

    @Test
    void adaptiveCapsASlowSourceByItsThroughput() {
        Context context = new Context(100);
        Src fast = context.add("fast");
        Src slow = context.add("slow");
        fast.bps = 100_000_000;
        slow.bps = 10_000_000;
        slow.inFlight = 1;
        PlannerSession session = new AdaptivePlanner().open(context);

        assertThat(chunks(session.next(slow, 7))).hasSize(1); // 8 x 1/10, at least 2 in flight
        assertThat(chunks(session.next(fast, 8))).hasSize(8);
    }

    @Test
    void theEndgameCopiesTheSlowestSourcesLateChunksFirst() {
        Context context = new Context(6);
        Src fast = context.add("fast");
        Src medium = context.add("medium");
        Src slow = context.add("slow");
        PlannerSession session = new AdaptivePlanner().open(context);
        context.asked(session, medium, 0, 1, 2);
        context.asked(session, slow, 3, 4, 5);
        fast.bps = 100_000_000;
        medium.bps = 60_000_000;
        slow.bps = 1_000_000;
        medium.idle = 1;
        slow.idle = 500;

        assertThat(chunks(session.next(fast, 2))).containsExactly(3, 4);
    }

    @Test
    void theEndgameLeavesEqualLinksAlone() {
        Context context = new Context(4);
        Src a = context.add("a");
        Src b = context.add("b");
        PlannerSession session = new AdaptivePlanner().open(context);
        context.asked(session, b, 0, 1, 2, 3);
        a.bps = 50_000_000;
        b.bps = 50_000_000;
        b.idle = 5;
        assertThat(session.next(a, 8)).isEmpty();

        b.idle = 2_000; // gone quiet: worth a copy
        assertThat(chunks(session.next(a, 8))).containsExactly(0, 1, 2, 3);
    }

    private static List<Integer> chunks(List<PlannedRequest> requests) {
        return requests.stream().flatMap(r -> r.chunks().stream()).toList();
    }

    static final class Src implements SourceView {
        final String id;
        long bps;
        long idle;
        int inFlight;
        /** A partial copy's chunks; null: it holds everything. */
        BitSet held;

        Src(String id) {
            this.id = id;
        }

        @Override
        public String peerId() {
            return id;
        }

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public boolean has(int index) {
            return held == null || held.get(index);
        }

        @Override
        public boolean complete() {
            return held == null;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public int capacity() {
            return 8;
        }

        @Override
        public long bytesPerSecond() {
            return bps;
        }

        @Override
        public long deliveredBytes() {
            return 0;
        }

        @Override
        public int failures() {
            return 0;
        }

        @Override
        public int badChunks() {
            return 0;
        }

        @Override
        public long idleMillis() {
            return idle;
        }
    }

    static final class Context implements PlanningContext {
        final int count;
        final BitSet done = new BitSet();
        final int[] inFlight;
        final List<Src> sources = new ArrayList<>();
        int start;
        String downloadId = "d";

        Context(int count) {
            this.count = count;
            this.inFlight = new int[count];
        }

        Src add(String id) {
            Src src = new Src(id);
            sources.add(src);
            return src;
        }

        /** The session planned these chunks for {@code source} and the engine sent them. */
        void asked(PlannerSession session, Src source, int... chunks) {
            for (int c : chunks) {
                assertThat(chunks(session.next(source, 1))).containsExactly(c);
                inFlight[c]++;
                source.inFlight++;
            }
        }

        @Override
        public String downloadId() {
            return downloadId;
        }

        @Override
        public String gameId() {
            return "g";
        }

        @Override
        public int chunkCount() {
            return count;
        }

        @Override
        public int startChunk() {
            return start;
        }

        @Override
        public Chunk chunk(int index) {
            return new Chunk(index, "file", index * 524_288L, 524_288);
        }

        @Override
        public boolean isDone(int index) {
            return done.get(index);
        }

        @Override
        public int inFlight(int index) {
            return inFlight[index];
        }

        @Override
        public int unrequested() {
            int open = 0;
            for (int i = 0; i < count; i++) {
                open += !done.get(i) && inFlight[i] == 0 ? 1 : 0;
            }
            return open;
        }

        @Override
        public int remaining() {
            return count - done.cardinality();
        }

        @Override
        public List<SourceView> sources() {
            return List.copyOf(sources);
        }

        @Override
        public Optional<SourceView> source(String peerId) {
            return sources.stream().filter(s -> s.id.equals(peerId)).map(SourceView.class::cast).findFirst();
        }
    }
}
