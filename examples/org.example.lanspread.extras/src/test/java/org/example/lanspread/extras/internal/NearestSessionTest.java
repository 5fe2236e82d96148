package org.example.lanspread.extras.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.PlannedRequest;

/** The nearest planner's rules, on a download kept by hand (no engine, no network). */
class NearestSessionTest {

    /** This host: 192.168.1.0/24. */
    private static final LocalNetworks HOME = new LocalNetworks(List.of(new LocalNetworks.Network(
            new byte[] {(byte) 192, (byte) 168, 1, 7}, 24)));
    private static final IntPredicate ALL = i -> true;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final PlanTally tally = new PlanTally("nearest");

    private NearestSession session(FakeDownload download, int farSharePercent, long lateMillis) {
        tally.opened(download.downloadId());
        return new NearestSession(download, () -> new NearestPlanner.Settings(farSharePercent, lateMillis), () -> HOME,
                clock::get, tally);
    }

    private void advanceMillis(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aNearSourceTakesTheNextOpenChunksInFileOrderGroupedPerFile() {
        FakeDownload d = new FakeDownload(8);
        FakeDownload.FakeSource near = d.source("near", "192.168.1.20", 6, ALL);
        NearestSession s = session(d, 25, 400);

        List<PlannedRequest> requests = s.next(near, 6);
        assertThat(requests).containsExactly(new PlannedRequest("near", List.of(0, 1, 2, 3)),
                new PlannedRequest("near", List.of(4, 5)));
        assertThat(tally.of("download-1").requests).isEqualTo(2);
        assertThat(tally.of("download-1").chunks).isEqualTo(6);
    }

    @Test
    void aFarSourceTakesChunksANearSourceHoldsOnlyWhileItDeliversLessThanItsShare() {
        FakeDownload d = new FakeDownload(40);
        FakeDownload.FakeSource near = d.source("near", "192.168.1.20", 8, ALL);
        FakeDownload.FakeSource far = d.source("far", "10.0.0.5", 8, ALL);
        NearestSession s = session(d, 25, 400);
        assertThat(s.isNear(near)).isTrue();
        assertThat(s.isNear(far)).isFalse();

        assertThat(d.plan(s, far)).as("nothing measured yet: one chunk, to learn its speed").containsExactly(0);
        assertThat(d.plan(s, far)).as("and no more until something is measured").isEmpty();
        assertThat(d.plan(s, near)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);

        near.rate = 10_000_000;
        far.rate = 2_000_000; // 20 %: below its 25 % share
        assertThat(d.plan(s, far)).containsExactly(9, 10, 11, 12, 13, 14, 15);
        far.rate = 3_000_000; // 30 %: it has its share
        d.deliver(s, 9, far);
        assertThat(d.plan(s, far)).isEmpty();
        assertThat(tally.of("download-1").chunks).isEqualTo(16);
    }

    @Test
    void withAShareOfZeroAFarSourceServesOnlyWhatNoNearSourceHolds() {
        FakeDownload d = new FakeDownload(20); // a.bin: chunks 0-9, b.bin: 10-19
        d.source("near", "192.168.1.20", 8, i -> i >= 0 && i < 10);
        FakeDownload.FakeSource far = d.source("far", "10.0.0.5", 8, ALL);
        NearestSession s = session(d, 0, 400);
        assertThat(d.plan(s, far)).containsExactly(10, 11, 12, 13, 14, 15, 16, 17);
        assertThat(d.plan(s, far)).as("what is left is held by the near source").isEmpty();
    }

    @Test
    void withoutANearSourceFarSourcesShareTheDownloadLikeAnyPlanner() {
        FakeDownload d = new FakeDownload(20);
        FakeDownload.FakeSource far1 = d.source("far-1", "10.0.0.5", 4, ALL);
        FakeDownload.FakeSource far2 = d.source("far-2", "10.0.0.6", 4, ALL);
        NearestSession s = session(d, 0, 400);

        assertThat(d.plan(s, far1)).containsExactly(0, 1, 2, 3);
        assertThat(d.plan(s, far2)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void theEndgameCopiesOnlyChunksThatAreLateAtTheirHolderOldestFirst() {
        FakeDownload d = new FakeDownload(6);
        FakeDownload.FakeSource slow = d.source("slow", "192.168.1.20", 4, ALL);
        FakeDownload.FakeSource fast = d.source("fast", "192.168.1.21", 4, ALL);
        NearestSession s = session(d, 25, 400);

        assertThat(d.plan(s, slow)).containsExactly(0, 1, 2, 3);
        advanceMillis(100);
        assertThat(d.plan(s, fast)).containsExactly(4, 5);
        d.deliver(s, 4, fast);
        d.deliver(s, 5, fast);
        assertThat(d.plan(s, fast)).as("nothing is late yet: no second copies").isEmpty();

        advanceMillis(350); // chunks 0-3 asked 450 ms ago
        assertThat(d.plan(s, fast)).containsExactly(0, 1, 2, 3);
        assertThat(tally.of("download-1").copies).isEqualTo(4);
        assertThat(d.plan(s, fast)).as("a chunk is copied once").isEmpty();
        d.deliver(s, 0, fast);
        assertThat(d.inFlight(0)).isZero();
    }

    @Test
    void lateMeansLaterThanThreeOfTheHoldersUsualChunkTimes() {
        FakeDownload d = new FakeDownload(6);
        FakeDownload.FakeSource a = d.source("a", "192.168.1.20", 4, ALL);
        FakeDownload.FakeSource b = d.source("b", "192.168.1.21", 4, ALL);
        NearestSession s = session(d, 25, 400);

        assertThat(d.plan(s, a)).containsExactly(0, 1, 2, 3);
        advanceMillis(1000);
        d.deliver(s, 0, a); // a delivers a chunk in about a second
        assertThat(s.chunkMillis("a")).hasValueSatisfying(ms -> assertThat(ms).isBetween(999.0, 1001.0));
        assertThat(d.plan(s, a)).containsExactly(4);
        assertThat(d.plan(s, b)).containsExactly(5);
        assertThat(d.plan(s, b)).as("chunk 1 is 1 s old, a's usual time: not late").isEmpty();
        advanceMillis(2100); // 3.1 s
        assertThat(d.plan(s, b)).containsExactly(1, 2, 3);
    }

    @Test
    void chunksAnEarlierPlannerAskedForAreCopiedOnceSeenInFlightLongEnough() {
        FakeDownload d = new FakeDownload(4);
        FakeDownload.FakeSource a = d.source("a", "192.168.1.20", 4, ALL);
        FakeDownload.FakeSource b = d.source("b", "192.168.1.21", 4, ALL);
        // the planner before this one asked a for everything
        for (int i = 0; i < 4; i++) {
            a.inFlightChunks.add(i);
            d.inFlight.computeIfAbsent(i, k -> new java.util.HashSet<>()).add("a");
        }
        NearestSession s = session(d, 25, 400);

        assertThat(d.plan(s, b)).as("first seen now").isEmpty();
        advanceMillis(401);
        assertThat(d.plan(s, b)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aFailedChunkIsPlannedAgainAndNothingDoneOrNotHeldEverIs() {
        FakeDownload d = new FakeDownload(10);
        FakeDownload.FakeSource a = d.source("a", "192.168.1.20", 3, i -> i % 2 == 0);
        NearestSession s = session(d, 25, 400);
        d.done.set(0);

        assertThat(d.plan(s, a)).containsExactly(2, 4, 6);
        d.fail(s, 4, a);
        assertThat(d.plan(s, a)).containsExactly(4);
        d.deliver(s, 2, a);
        assertThat(d.plan(s, a)).containsExactly(8);
    }

    @Test
    void aSourceThatLeftIsForgottenAndItsChunksGoToTheOthers() {
        FakeDownload d = new FakeDownload(4);
        FakeDownload.FakeSource a = d.source("a", "192.168.1.20", 4, ALL);
        FakeDownload.FakeSource b = d.source("b", "192.168.1.21", 4, ALL);
        NearestSession s = session(d, 25, 400);
        assertThat(d.plan(s, a)).containsExactly(0, 1, 2, 3);

        d.sources.remove("a"); // the engine drops its requests: the chunks are open again
        d.inFlight.clear();
        s.sourcesChanged();
        assertThat(d.plan(s, b)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void closingLogsTheTallyAndForgetsTheDownload() {
        FakeDownload d = new FakeDownload(4);
        FakeDownload.FakeSource a = d.source("a", "192.168.1.20", 4, ALL);
        NearestSession s = session(d, 25, 400);
        d.plan(s, a);
        s.close();
        assertThat(tally.of("download-1")).isNull();
    }

    @Test
    void localNetworksMatchByPrefix() throws Exception {
        assertThat(HOME.isLocal(InetAddress.getByName("192.168.1.200"))).isTrue();
        assertThat(HOME.isLocal(InetAddress.getByName("192.168.2.1"))).isFalse();
        assertThat(HOME.isLocal(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(HOME.isLocal(InetAddress.getByName("::1"))).isTrue();
        assertThat(HOME.isLocal(InetAddress.getByName("fe80::1"))).isFalse();
        LocalNetworks odd = new LocalNetworks(List.of(new LocalNetworks.Network(new byte[] {10, 1, 2, 3}, 13)));
        assertThat(odd.isLocal(InetAddress.getByName("10.7.255.255"))).isTrue();
        assertThat(odd.isLocal(InetAddress.getByName("10.8.0.0"))).isFalse();
        assertThat(LocalNetworks.ofThisHost().isLocal(InetAddress.getLoopbackAddress())).isTrue();
    }

    @Test
    void overALongDownloadEqualLinksCarryTheNearAndFarShareTheConfiguredWay() {
        FakeDownload d = new FakeDownload(2000);
        FakeDownload.FakeSource near = d.source("near", "192.168.1.20", 8, ALL);
        FakeDownload.FakeSource far = d.source("far", "10.0.0.5", 8, ALL);
        NearestSession s = session(d, 25, 400);
        Map<FakeDownload.FakeSource, ArrayDeque<Integer>> recent = new HashMap<>(); // deliveries per round
        Map<FakeDownload.FakeSource, Integer> delivered = new HashMap<>();
        int rounds = 0;
        while (d.remaining() > 0 && rounds++ < 10_000) {
            for (FakeDownload.FakeSource src : List.of(far, near)) {
                d.plan(s, src);
            }
            advanceMillis(10);
            for (FakeDownload.FakeSource src : List.of(near, far)) {
                // equal links: each delivers up to two chunks per 10 ms round
                int got = 0;
                for (int k = 0; k < 2 && !src.inFlightChunks.isEmpty(); k++) {
                    d.deliver(s, src.inFlightChunks.stream().min(Integer::compare).orElseThrow(), src);
                    got++;
                }
                delivered.merge(src, got, Integer::sum);
                ArrayDeque<Integer> window = recent.computeIfAbsent(src, x -> new ArrayDeque<>());
                window.addLast(got);
                if (window.size() > 100) { // the last second
                    window.removeFirst();
                }
                src.rate = window.stream().mapToLong(Integer::longValue).sum() * FakeDownload.CHUNK;
            }
        }
        assertThat(d.remaining()).isZero();
        int fromNear = delivered.get(near);
        int fromFar = delivered.get(far);
        assertThat(fromNear + fromFar).as("every chunk once (nothing was late)").isEqualTo(2000);
        assertThat(100.0 * fromFar / fromNear).as("the far source's share of what the near one delivered: "
                + fromFar + " against " + fromNear).isBetween(15.0, 35.0);
    }
}
