package io.lanspread.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.lanspread.api.game.Game;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.peer.RemoteGame;

class PeerGameDbTest {

    private static final InetSocketAddress ADDR_A = new InetSocketAddress("127.0.0.1", 42420);
    private static final InetSocketAddress ADDR_B = new InetSocketAddress("127.0.0.2", 42420);

    /** A clock the test moves by hand. */
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T10:00:00Z"));
    private final PeerGameDb db = new PeerGameDb(new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });

    private static Game game(String id, String version) {
        return new Game(id, id.toUpperCase(), version, 100);
    }

    @Test
    void upsertAddsThenUpdatesNameAndAddressKeepingGames() {
        PeerInfo added = db.upsert("p1", "alice", ADDR_A);
        assertThat(added).isEqualTo(new PeerInfo("p1", "alice", ADDR_A, now.get(), List.of()));
        assertThat(db.updateGames("p1", List.of(game("doom", "1.9")))).isTrue();

        now.set(now.get().plusSeconds(5));
        PeerInfo updated = db.upsert("p1", "alice-laptop", ADDR_B);

        assertThat(updated.name()).isEqualTo("alice-laptop");
        assertThat(updated.address()).isEqualTo(ADDR_B);
        assertThat(updated.lastSeen()).isEqualTo(now.get());
        assertThat(updated.games()).containsExactly(game("doom", "1.9"));
        assertThat(db.peer("p1")).contains(updated);
    }

    @Test
    void upsertWithoutAddressKeepsTheKnownOneAndBlankNameFallsBackToId() {
        db.upsert("p1", "alice", ADDR_A);
        PeerInfo updated = db.upsert("p1", " ", null);
        assertThat(updated.address()).isEqualTo(ADDR_A);
        assertThat(updated.name()).isEqualTo("p1");
    }

    @Test
    void touchAndUpdateGamesOnlyWorkForKnownPeers() {
        assertThat(db.touch("ghost")).isFalse();
        assertThat(db.updateGames("ghost", List.of(game("doom", "1")))).isFalse();
        assertThat(db.peer("ghost")).isEmpty();
        assertThat(db.games()).isEmpty();

        db.upsert("p1", "alice", ADDR_A);
        now.set(now.get().plusSeconds(30));
        assertThat(db.touch("p1")).isTrue();
        assertThat(db.peer("p1").orElseThrow().lastSeen()).isEqualTo(now.get());
    }

    @Test
    void updateGamesReplacesTheList() {
        db.upsert("p1", "alice", ADDR_A);
        db.updateGames("p1", List.of(game("doom", "1"), game("quake", "1")));
        db.updateGames("p1", List.of(game("quake", "2")));

        assertThat(db.peer("p1").orElseThrow().games()).containsExactly(game("quake", "2"));
        assertThat(db.games()).extracting(r -> r.game().id()).containsExactly("quake");
    }

    @Test
    void updateGamesSortsAndKeepsOneEntryPerId() {
        db.upsert("p1", "alice", ADDR_A);
        db.updateGames("p1", List.of(game("quake", "1.9"), game("doom", "1"), game("quake", "1.10")));

        assertThat(db.peer("p1").orElseThrow().games()).containsExactly(game("doom", "1"), game("quake", "1.10"));
    }

    @Test
    void removeForgetsThePeerAndItsGames() {
        db.upsert("p1", "alice", ADDR_A);
        db.updateGames("p1", List.of(game("doom", "1")));

        assertThat(db.remove("p1")).map(PeerInfo::peerId).contains("p1");
        assertThat(db.remove("p1")).isEmpty();
        assertThat(db.peers()).isEmpty();
        assertThat(db.game("doom")).isEmpty();
        assertThat(db.touch("p1")).isFalse();
    }

    @Test
    void peersAreSortedByNameThenId() {
        db.upsert("z", "bob", ADDR_A);
        db.upsert("b", "alice", ADDR_A);
        db.upsert("a", "bob", ADDR_A);

        assertThat(db.peers()).extracting(PeerInfo::peerId).containsExactly("b", "a", "z");
    }

    @Test
    void newestVersionAcrossPeersAndWhoHasIt() {
        db.upsert("p3", "carol", ADDR_A);
        db.upsert("p1", "alice", ADDR_A);
        db.upsert("p2", "bob", ADDR_B);
        db.updateGames("p1", List.of(new Game("ut", "UT (alice)", "1.10", 500), game("doom", "20230101")));
        db.updateGames("p2", List.of(game("ut", "1.9"), game("doom", "20231101")));
        db.updateGames("p3", List.of(new Game("ut", "UT (carol)", "1.10", 501)));

        RemoteGame ut = db.game("ut").orElseThrow();
        assertThat(ut.game()).isEqualTo(new Game("ut", "UT (alice)", "1.10", 500)); // from the first peer id
        assertThat(ut.peerIds()).containsExactly("p1", "p3");

        assertThat(db.games()).containsExactly(
                new RemoteGame(game("doom", "20231101"), List.of("p2")),
                ut);
        assertThat(db.game("unknown")).isEmpty();
    }

    @Test
    void versionsEqualByValueButSpelledDifferentlyAreNotMixed() {
        db.upsert("p1", "alice", ADDR_A);
        db.upsert("p2", "bob", ADDR_A);
        db.updateGames("p1", List.of(game("g", "1.01")));
        db.updateGames("p2", List.of(game("g", "1.1")));

        RemoteGame g = db.game("g").orElseThrow();
        assertThat(g.peerIds()).hasSize(1);
        assertThat(g.game().version()).isEqualTo(g.peerIds().get(0).equals("p1") ? "1.01" : "1.1");
    }

    @Test
    void peersWithGameMatchesTheExactVersion() {
        db.upsert("p1", "bob", ADDR_A);
        db.upsert("p2", "alice", ADDR_A);
        db.upsert("p3", "carol", ADDR_A);
        db.updateGames("p1", List.of(game("ut", "436")));
        db.updateGames("p2", List.of(game("ut", "436")));
        db.updateGames("p3", List.of(game("ut", "451")));

        assertThat(db.peersWithGame("ut", "436")).extracting(PeerInfo::peerId).containsExactly("p2", "p1");
        assertThat(db.peersWithGame("ut", "451")).extracting(PeerInfo::peerId).containsExactly("p3");
        assertThat(db.peersWithGame("ut", "999")).isEmpty();
        assertThat(db.peersWithGame("doom", "436")).isEmpty();
    }

    @Test
    void concurrentUpdatesFromSeveralThreadsLoseNothing() throws Exception {
        int threads = 8;
        int peersPerThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    for (int i = 0; i < peersPerThread; i++) {
                        String id = "t" + thread + "-p" + i;
                        db.upsert(id, id, ADDR_A);
                        db.updateGames(id, List.of(game("shared", Integer.toString(i)), game("own-" + thread, "1")));
                        db.touch(id);
                        db.upsert(id, "renamed-" + id, ADDR_B); // must keep the games
                        db.touch("t0-p0");
                        db.upsert("hot", "hot", ADDR_A); // one peer updated by every thread at once
                        db.updateGames("hot", List.of(game("hot-game", thread + "." + i)));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(db.peers()).hasSize(threads * peersPerThread + 1);
        for (PeerInfo peer : db.peers()) {
            if (peer.peerId().equals("hot")) {
                assertThat(peer.games()).hasSize(1);
                continue;
            }
            assertThat(peer.name()).isEqualTo("renamed-" + peer.peerId());
            assertThat(peer.address()).isEqualTo(ADDR_B);
            assertThat(peer.games()).hasSize(2);
        }
        RemoteGame shared = db.game("shared").orElseThrow();
        assertThat(shared.game().version()).isEqualTo(Integer.toString(peersPerThread - 1));
        assertThat(shared.peerIds()).hasSize(threads);
        for (int t = 0; t < threads; t++) {
            assertThat(db.game("own-" + t).orElseThrow().peerIds()).hasSize(peersPerThread);
        }
    }

    @Test
    void componentNameIsTheDocumentedPid() {
        assertThat(PeerGameDb.PID).isEqualTo("io.lanspread.catalog.peers");
        assertThat(new PeerGameDb().upsert("p", "n", ADDR_A).lastSeen()).isNotNull();
    }
}
