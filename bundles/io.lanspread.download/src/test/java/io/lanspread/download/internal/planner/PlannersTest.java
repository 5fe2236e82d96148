package io.lanspread.download.internal.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.PeerSource;
import io.lanspread.api.download.SourceLoad;

class PlannersTest {
    private static final Chunk CHUNK = new Chunk("bin/game.bin", 0, 512 * 1024);

    private static SourceLoad load(String id, long inFlight, long done, int failures) {
        return new SourceLoad(new PeerSource(id, new InetSocketAddress("127.0.0.1", 1)), inFlight, done, failures);
    }

    private static Optional<String> pick(LeastLoadedPlanner planner, List<SourceLoad> loads, Set<String> excluded) {
        return planner.pick(CHUNK, loads, excluded).map(PeerSource::peerId);
    }

    @Test
    void leastLoadedPicksFewestBytesInFlightThenMostDoneThenFewestFailuresThenId() {
        LeastLoadedPlanner planner = new LeastLoadedPlanner();
        assertThat(planner.name()).isEqualTo("least-loaded");
        assertThat(pick(planner, List.of(load("a", 1000, 0, 0), load("b", 10, 0, 0)), Set.of())).contains("b");
        assertThat(pick(planner, List.of(load("a", 10, 5, 0), load("b", 10, 50, 0)), Set.of())).contains("b");
        assertThat(pick(planner, List.of(load("a", 10, 50, 3), load("b", 10, 50, 1)), Set.of())).contains("b");
        assertThat(pick(planner, List.of(load("b", 0, 0, 0), load("a", 0, 0, 0)), Set.of())).contains("a");
    }

    @Test
    void leastLoadedHonoursExclusions() {
        LeastLoadedPlanner planner = new LeastLoadedPlanner();
        List<SourceLoad> loads = List.of(load("a", 0, 0, 0), load("b", 100, 0, 0));
        assertThat(pick(planner, loads, Set.of("a"))).contains("b");
        assertThat(pick(planner, loads, Set.of("a", "b"))).isEmpty();
        assertThat(pick(planner, List.of(), Set.of())).isEmpty();
    }

    @Test
    void roundRobinTakesTurnsAndSkipsExcluded() {
        RoundRobinPlanner planner = new RoundRobinPlanner();
        assertThat(planner.name()).isEqualTo("round-robin");
        List<SourceLoad> loads = List.of(load("c", 0, 0, 0), load("a", 900, 0, 0), load("b", 0, 0, 0));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(planner.pick(CHUNK, loads, Set.of()).orElseThrow().peerId());
        }
        assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c");
        for (int i = 0; i < 4; i++) {
            assertThat(planner.pick(CHUNK, loads, Set.of("b")).orElseThrow().peerId()).isNotEqualTo("b");
        }
        assertThat(planner.pick(CHUNK, loads, Set.of("a", "b", "c"))).isEmpty();
    }
}
