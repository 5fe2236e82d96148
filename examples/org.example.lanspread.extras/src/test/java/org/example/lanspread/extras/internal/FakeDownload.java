package org.example.lanspread.extras.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

/**
 * A download as the engine shows it to a planner, kept by hand: chunks of two files, which are done, which are in
 * flight where, and the sources. {@link #plan} plays the engine's part: it asks the session and marks what it got.
 */
final class FakeDownload implements PlanningContext {

    static final int CHUNK = 512 * 1024;

    final int count;
    final BitSet done = new BitSet();
    final Map<Integer, Set<String>> inFlight = new HashMap<>();
    final Map<String, FakeSource> sources = new java.util.LinkedHashMap<>();

    /** {@code count} chunks; the first half in file a.bin, the rest in b.bin. */
    FakeDownload(int count) {
        this.count = count;
    }

    FakeSource source(String peerId, String ip, int capacity, IntPredicate has) {
        FakeSource s = new FakeSource(peerId, new InetSocketAddress(ip, 42420), capacity, has);
        sources.put(peerId, s);
        return s;
    }

    /** Asks the session for {@code source}'s next requests (room: its free capacity) and marks them in flight. */
    List<Integer> plan(NearestSession session, FakeSource source) {
        int room = source.capacity - source.inFlightChunks.size();
        List<PlannedRequest> requests = session.next(source, room);
        List<Integer> chunks = new ArrayList<>();
        for (PlannedRequest r : requests) {
            if (!r.peerId().equals(source.peerId)) {
                throw new AssertionError("a request for another source: " + r);
            }
            for (int i : r.chunks()) {
                if (!source.has(i) || done.get(i) || source.inFlightChunks.contains(i)) {
                    throw new AssertionError("planned chunk " + i + " the engine would refuse");
                }
                chunks.add(i);
                source.inFlightChunks.add(i);
                inFlight.computeIfAbsent(i, k -> new HashSet<>()).add(source.peerId);
            }
        }
        return chunks;
    }

    /** Chunk {@code index} arrived from {@code source}: done, and every request for it ends. */
    void deliver(NearestSession session, int index, FakeSource source) {
        done.set(index);
        for (String peer : inFlight.getOrDefault(index, Set.of())) {
            sources.get(peer).inFlightChunks.remove(index);
        }
        inFlight.remove(index);
        session.chunkDone(chunk(index), source);
    }

    void fail(NearestSession session, int index, FakeSource source) {
        source.inFlightChunks.remove(index);
        inFlight.getOrDefault(index, new HashSet<>()).remove(source.peerId);
        session.chunkFailed(chunk(index), source);
    }

    @Override
    public String downloadId() {
        return "download-1";
    }

    @Override
    public String gameId() {
        return "game";
    }

    @Override
    public int chunkCount() {
        return count;
    }

    @Override
    public Chunk chunk(int index) {
        int half = count / 2;
        return index < half ? new Chunk(index, "a.bin", (long) index * CHUNK, CHUNK)
                : new Chunk(index, "b.bin", (long) (index - half) * CHUNK, CHUNK);
    }

    @Override
    public boolean isDone(int index) {
        return done.get(index);
    }

    @Override
    public int inFlight(int index) {
        return inFlight.getOrDefault(index, Set.of()).size();
    }

    @Override
    public int unrequested() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += !isDone(i) && inFlight(i) == 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public int remaining() {
        return count - done.cardinality();
    }

    @Override
    public List<SourceView> sources() {
        return List.copyOf(sources.values());
    }

    @Override
    public Optional<SourceView> source(String peerId) {
        return Optional.ofNullable(sources.get(peerId));
    }

    static final class FakeSource implements SourceView {
        final String peerId;
        final InetSocketAddress address;
        final int capacity;
        final IntPredicate has;
        final Set<Integer> inFlightChunks = new HashSet<>();
        /** What bytesPerSecond() answers; the tests set it. */
        long rate;

        FakeSource(String peerId, InetSocketAddress address, int capacity, IntPredicate has) {
            this.peerId = peerId;
            this.address = address;
            this.capacity = capacity;
            this.has = has;
        }

        @Override
        public String peerId() {
            return peerId;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public boolean has(int index) {
            return has.test(index);
        }

        @Override
        public boolean complete() {
            return has.test(-1); // the tests' "holds everything" predicates answer true for any index
        }

        @Override
        public int inFlight() {
            return inFlightChunks.size();
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public long bytesPerSecond() {
            return rate;
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
            return 0;
        }

        @Override
        public String toString() {
            return peerId;
        }
    }
}
