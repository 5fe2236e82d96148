package io.lanspread.download.internal;

import static io.lanspread.download.internal.Harness.assertFinishedWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.planner.AdaptivePlanner;
import io.lanspread.download.internal.planner.EvenPlanner;

/** The engine end to end over fakes: votes, verification, sources that come and go, resume, the end. */
class DownloadEngineTest {
    private final FakeGame game = FakeGame.sample("quake", "1.0", 1);
    private final FakeGame lie = game.withChangedFile("data/level.dat", "1.0");
    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private Harness harness() {
        h = new Harness();
        return h;
    }

    @Test
    void twoSourcesSplitTheGameAndTheListenersHearBeginAndOneEnd() {
        harness().start();
        h.peer("a", "10.0.0.1", game);
        h.peer("b", "10.0.0.2", game);

        DownloadStatus first = h.manager.start(DownloadRequest.newest("quake"));
        assertThat(first.state()).isEqualTo(DownloadState.RUNNING);
        DownloadStatus end = h.awaitEnd(first.id());

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(end.version()).isEqualTo("1.0");
        assertThat(end.downloadedBytes()).isEqualTo(game.size()).isEqualTo(end.totalBytes());
        assertThat(end.fetchedBytes()).isEqualTo(game.size());
        assertFinishedWith(h.store(first.id()), game);
        assertThat(h.peers.calls("a")).isPositive();
        assertThat(h.peers.calls("b")).isPositive();
        assertThat(h.library.rescans.get()).isEqualTo(1);
        assertThat(h.stores.requests).containsKey(first.id());
        assertThat(h.listener.calls.get(0)).startsWith("begin:" + first.id());
        assertThat(h.listener.count("finished", first.id())).isEqualTo(1);
        assertThat(h.listener.count("failed", first.id()) + h.listener.count("cancelled", first.id())).isZero();
    }

    @Test
    void oneLiarAgainstOneHonestHostFailsNamingTheFile() {
        harness().start();
        h.peer("honest", "10.0.0.1", game);
        h.peer("liar", "10.0.0.2", lie);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).contains("data/level.dat").contains("honest").contains("liar");
        assertThat(h.peers.calls).isEmpty();
        assertThat(h.stores.forgotten).contains(id);
        assertThat(h.listener.count("failed", id)).isEqualTo(1);
    }

    @Test
    void oneLiarAgainstTwoHonestHostsGetsTheHonestBytesAndIsNamed() {
        harness().start();
        h.peer("honest1", "10.0.0.1", game);
        h.peer("honest2", "10.0.0.2", game);
        h.peer("liar", "10.0.0.3", lie);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(h.peers.calls.stream().filter(c -> c.peerId().equals("liar") && c.path().equals("data/level.dat")))
                .isEmpty();
        assertThat(end.notes()).anyMatch(n -> n.contains("liar") && n.contains("data/level.dat"));
    }

    @Test
    void threePeerIdsOnOneHostDoNotOutvoteTwoHonestHosts() {
        harness().start();
        h.peer("honest1", "10.0.0.1", game);
        h.peer("honest2", "10.0.0.2", game);
        h.peer("liar1", "10.0.0.9", lie);
        h.peer("liar2", "10.0.0.9", lie);
        h.peer("liar3", "10.0.0.9", lie);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
    }

    @Test
    void thePeerTheUserTrustsDecidesEvenAgainstTheMajority() {
        harness().start();
        h.peer("honest1", "10.0.0.1", game);
        h.peer("honest2", "10.0.0.2", game);
        h.peer("liar", "10.0.0.3", lie);

        String id = h.manager.start(new DownloadRequest("quake", null, "liar")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), lie);
        // the honest peers still serve the files on which they agree with the trusted peer
        assertThat(h.peers.calls.stream().filter(c -> !c.peerId().equals("liar")).map(c -> c.path()))
                .isNotEmpty().doesNotContain("data/level.dat");
    }

    @Test
    void aProtocolOneHolderIsLeftOutWithANote() {
        harness().start();
        h.peer("new", "10.0.0.1", game);
        h.peer("old", "10.0.0.2", game).protocol1 = true;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(end.notes()).anyMatch(n -> n.contains("old") && n.contains("protocol 1"));
        assertThat(h.peers.calls("old")).isZero();
    }

    @Test
    void badChunksAreFetchedAgainElsewhereAndTheirSenderIsDropped() {
        harness().start();
        h.peer("honest", "10.0.0.1", game);
        FakePeers.Peer corrupt = h.peer("corrupt", "10.0.0.2", game);
        corrupt.corruptPath = "bin/game.bin";
        corrupt.corrupt = offset -> true;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(end.notes()).anyMatch(n -> n.contains("corrupt") && n.contains("no longer used"));
        long badFromCorrupt = h.peers.calls.stream()
                .filter(c -> c.peerId().equals("corrupt") && c.path().equals("bin/game.bin")).count();
        assertThat(badFromCorrupt).isBetween(1L, 3L + 8L); // dropped after 3 bad ones (up to 8 were in flight)
    }

    @Test
    void badChunksFromSeveralIdsOnOneMachineEndWithTheHonestBytesAndANote() {
        harness().start();
        h.peer("honest", "10.0.0.1", game);
        for (String liar : List.of("liar1", "liar2", "liar3")) {
            FakePeers.Peer corrupt = h.peer(liar, "10.0.0.9", game); // a true manifest, bad bytes
            corrupt.corruptPath = "bin/game.bin";
            corrupt.corrupt = offset -> true;
        }

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(h.peers.calls.stream().filter(c -> c.peerId().startsWith("liar") && c.path().equals("bin/game.bin")))
                .as("the corrupt machine was asked for the file at all").isNotEmpty();
        assertThat(end.notes()).anyMatch(n -> n.startsWith("liar") && n.contains("does not match the agreed manifest"));
    }

    @Test
    void aSourceWhoseFileChangedIsNoLongerAskedForIt() {
        harness().start();
        h.peer("steady", "10.0.0.1", game);
        FakePeers.Peer changing = h.peer("changing", "10.0.0.2", game);
        changing.changedFiles.add("bin/game.bin");

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        long asked = h.peers.calls.stream()
                .filter(c -> c.peerId().equals("changing") && c.path().equals("bin/game.bin")).count();
        assertThat(asked).isLessThanOrEqualTo(8); // only what was in flight when the first refusal came
        assertThat(end.notes()).anyMatch(n -> n.contains("changed since it was hashed"));
    }

    @Test
    void everySourceGoneMeansWaitingAndTheDownloadContinuesWhenOneComesBack() {
        harness().start();
        FakePeers.Peer only = h.peer("only", "10.0.0.1", game);
        only.pauseAfter(10);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> only.answered.get() >= 10 && h.status(id).downloadedBytes() >= 10L * FakeGame.CHUNK,
                () -> "10 chunks");
        h.lose("only");
        DownloadStatus waiting = h.awaitState(id, DownloadState.WAITING);
        assertThat(waiting.notes()).anyMatch(n -> n.contains("waiting for one to come back"));
        assertThat(waiting.sources()).isZero();

        long before = h.peers.calls.size();
        only.release();
        h.discover(only);
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(end.notes()).noneMatch(n -> n.contains("waiting"));
        assertFinishedWith(h.store(id), game);
        // the 10 verified chunks were not fetched again
        assertThat(h.peers.calls.size() - before).isLessThanOrEqualTo(game.chunkCount() - 10);
        assertThat(h.listener.statuses.stream().map(DownloadStatus::state))
                .containsSubsequence(DownloadState.RUNNING, DownloadState.WAITING, DownloadState.RUNNING,
                        DownloadState.FINISHED);
    }

    @Test
    void aPeerListingTheGameMidDownloadBecomesASourceForTheContentItAgreesOn() {
        harness().start();
        FakePeers.Peer first = h.peer("first", "10.0.0.1", game);
        first.pauseAfter(5);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> first.answered.get() >= 5, () -> "5 answers");
        FakePeers.Peer late = h.peers.add("late", "10.0.0.2", game);
        h.directory.put("late", late.address, List.of());
        h.directory.updateGames("late", List.of(game.game()));
        h.manager.onEvent(new io.lanspread.api.event.LanspreadEvent.GameListUpdated("late", "late", List.of(game.game())));
        FakePeers.Peer other = h.peers.add("other", "10.0.0.3", lie);
        h.discover(other);
        DownloadStatus end = h.awaitEnd(id);
        first.release();

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(h.peers.calls("late")).isPositive();
        assertThat(h.peers.calls.stream().filter(c -> c.peerId().equals("other")).map(FakePeers.Call::path))
                .doesNotContain("data/level.dat");
    }

    @Test
    void waitingTooLongInterruptsAndResumeContinues() {
        harness().with("waiting.timeout.seconds", 1).start();
        FakePeers.Peer only = h.peer("only", "10.0.0.1", game);
        only.pauseAfter(5);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.status(id).downloadedBytes() >= 5L * FakeGame.CHUNK, () -> "5 chunks");
        h.lose("only");
        h.awaitState(id, DownloadState.WAITING);
        DownloadStatus interrupted = h.awaitState(id, DownloadState.INTERRUPTED);
        assertThat(interrupted.downloadedBytes()).isEqualTo(5L * FakeGame.CHUNK);
        assertThat(h.store(id).discarded).isFalse();
        assertThat(h.manager.downloads().get(0).state()).isEqualTo(DownloadState.INTERRUPTED);

        only.release();
        h.directory.put("only", only.address, List.of(game.game()));
        assertThat(h.manager.resume(id)).isTrue();
        DownloadStatus end = h.awaitEnd(id);
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
    }

    @Test
    void aStalledSourcesChunksAreTakenByAnother() {
        harness().with("stall.seconds", 1).start();
        FakePeers.Peer stuck = h.peer("stuck", "10.0.0.1", game);
        stuck.hang = true;
        h.peer("quick", "10.0.0.2", game).delayMillis = 5;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        // every chunk asked of the stuck source was asked of the quick one too
        h.peers.calls.stream().filter(c -> c.peerId().equals("stuck")).forEach(c -> assertThat(
                h.peers.calls.stream().anyMatch(o -> o.peerId().equals("quick") && o.path().equals(c.path())
                        && o.offset() == c.offset())).isTrue());
    }

    @Test
    void aChunkWhoseRequestWentSilentIsAskedAgainOfTheSameSourceLongBeforeAnyTimeout() {
        harness().with("stall.seconds", 1).start();
        FakePeers.Peer only = h.peer("only", "10.0.0.1", game);
        only.delayMillis = 5;
        only.silentOnce.add("data/level.dat@0"); // its first request is never answered, the others are

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(only.silentOnce).as("the silent request was made").isEmpty();
        assertThat(h.peers.calls.stream().filter(c -> c.path().equals("data/level.dat") && c.offset() == 0).count())
                .as("asked twice, of the one source").isEqualTo(2);
    }

    @Test
    void aPlannerSwappedMidDownloadTakesOverWithNoChunkFetchedTwice() {
        // 4 in flight per source: at most 16 of the 34 chunks are planned before the swap
        harness().with("chunks.per.source", 4).start().planner(new EvenPlanner());
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        FakePeers.Peer b = h.peer("b", "10.0.0.2", game);
        a.pauseAfter(4);
        b.pauseAfter(4);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> a.answered.get() >= 4 && b.answered.get() >= 4, () -> "8 answers");
        CountingPlanner counting = new CountingPlanner(new EvenPlanner());
        h.planner(counting);
        a.release();
        b.release();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(counting.planned.get()).isPositive();
        assertThat(counting.closed.get()).isEqualTo(1);
        for (var call : h.peers.calls) {
            assertThat(h.peers.calls(call.path(), call.offset())).as(call.toString()).isEqualTo(1);
        }
        assertThat(h.peers.calls).hasSize(game.chunkCount());
    }

    @Test
    void aPlannerThatGoesAwayMidDownloadHasItsSessionClosedAndTheBuiltInOneFinishes() {
        CountingPlanner pinned = new CountingPlanner(new EvenPlanner());
        harness().with("chunks.per.source", 4).start().planner(pinned);
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(4);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> a.answered.get() >= 4, () -> "4 answers");
        assertThat(pinned.planned.get()).as("the pinned planner planned first").isPositive();
        assertThat(pinned.closed.get()).isZero();
        h.planner(null); // its service went away (as when the bundle of a planner pinned by planner.target stops)
        int plannedBefore = pinned.planned.get();
        a.release();
        Harness.await(() -> pinned.closed.get() == 1, () -> "the session of the planner that left closed");
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        assertThat(pinned.closed.get()).as("closed once, not again at the end").isEqualTo(1);
        assertThat(pinned.planned.get()).as("nothing planned by it after it left").isEqualTo(plannedBefore);
    }

    @Test
    void theAdaptiveEndgameTakesTheSlowSourcesLastChunks() {
        harness().with("chunks.per.source", 4).start().planner(new AdaptivePlanner());
        h.peer("fast", "10.0.0.1", game).delayMillis = 2;
        h.peer("slow", "10.0.0.2", game).delayMillis = 400;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
        // the chunks the slow source was asked for in the end were asked of the fast one too
        List<FakePeers.Call> slow = h.peers.calls.stream().filter(c -> c.peerId().equals("slow")).toList();
        long duplicated = slow.stream().filter(c -> h.peers.calls(c.path(), c.offset()) > 1).count();
        assertThat(duplicated).isPositive();
        // pull-based: the fast source served far more than its even half
        assertThat(h.peers.calls("fast")).isGreaterThan(3L * slow.size());
    }

    @Test
    void threeSourcesOneSlowFetchAManyChunkGameWithLittleWaste() {
        java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
        java.util.Random random = new java.util.Random(3);
        for (int f = 0; f < 30; f++) {
            files.put("data/file" + f + ".bin", FakeGame.bytes(random, 100 * FakeGame.CHUNK - f));
        }
        FakeGame big = new FakeGame("big", "1", files);
        harness().start();
        h.peer("a", "10.0.0.1", big).delayMillis = 1;
        h.peer("b", "10.0.0.2", big).delayMillis = 1;
        h.peer("slow", "10.0.0.3", big).delayMillis = 50;

        String id = h.manager.start(DownloadRequest.newest("big")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), big);
        assertThat((double) h.peers.calls.size()).isLessThanOrEqualTo(big.chunkCount() * 1.05);
        assertThat(h.peers.calls("slow")).isLessThan(h.peers.calls("a"));
    }

    @Test
    void theEvenPlannerSplitsChunksEvenly() {
        harness().start().planner(new EvenPlanner());
        h.peer("a", "10.0.0.1", game);
        h.peer("b", "10.0.0.2", game).delayMillis = 20;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        h.awaitEnd(id);

        assertThat(Math.abs(h.peers.calls("a") - h.peers.calls("b"))).isLessThanOrEqualTo(1);
    }

    @Test
    void aPlannerThatThrowsOrTalksNonsenseNeverStopsADownload() {
        harness().start().planner(new DownloadPlanner() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public PlannerSession open(PlanningContext context) {
                AtomicInteger calls = new AtomicInteger();
                return (source, room) -> {
                    if (calls.incrementAndGet() % 2 == 0) {
                        throw new IllegalStateException("broken on purpose");
                    }
                    return List.of(new PlannedRequest("nobody", List.of(0)), new PlannedRequest(source.peerId(),
                            List.of(-1, 10_000, 0, 0)));
                };
            }
        });
        h.peer("a", "10.0.0.1", game);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(id), game);
    }

    @Test
    void anUpdateReusesTheInstalledCopyAndFetchesOnlyWhatChanged() {
        harness().start();
        h.stores.installedCopy(game);
        FakeGame update = game.withChangedFile("data/level.dat", "1.1");
        h.peer("a", "10.0.0.1", update);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(end.version()).isEqualTo("1.1");
        assertFinishedWith(h.store(id), update);
        assertThat(end.reusedBytes()).isEqualTo(20L * FakeGame.CHUNK);
        assertThat(end.fetchedBytes()).isEqualTo(update.size() - 20L * FakeGame.CHUNK);
        assertThat(h.peers.calls.stream().map(FakePeers.Call::path)).doesNotContain("bin/game.bin");
    }

    @Test
    void aDownloadLeftByAPreviousRunResumesWithoutRefetchingVerifiedChunks() {
        h = new Harness();
        BitSet done = new BitSet();
        done.set(0, 15);
        h.stores.leftOver("left-1", game, done);
        h.start();
        Harness.await(() -> h.manager.download("left-1").isPresent(), () -> "recovered download");
        assertThat(h.awaitState("left-1", DownloadState.WAITING).downloadedBytes()).isEqualTo(15L * FakeGame.CHUNK);

        FakePeers.Peer back = h.peers.add("a", "10.0.0.1", game);
        h.discover(back);
        DownloadStatus end = h.awaitEnd("left-1");

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store("left-1"), game);
        assertThat(h.peers.calls).hasSize(game.chunkCount() - 15);
        assertThat(h.listener.count("begin", "left-1")).isEqualTo(1);
    }

    @Test
    void aResumedDownloadSwitchesToTheNewerVersionTheHoldersNowHave() {
        h = new Harness();
        BitSet done = new BitSet();
        done.set(0, 25); // all of bin/game.bin and 5 chunks of data/level.dat
        MemoryStores.MemoryStore old = h.stores.leftOver("left-2", game, done);
        h.start();
        FakeGame newer = game.withChangedFile("data/level.dat", "2.0");
        FakePeers.Peer a = h.peers.add("a", "10.0.0.1", newer);
        h.discover(a);
        Harness.await(() -> h.manager.download("left-2").map(s -> s.state().ended()).orElse(false), () -> "end");
        DownloadStatus end = h.awaitEnd("left-2");

        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(end.version()).isEqualTo("2.0");
        assertThat(end.notes()).anyMatch(n -> n.contains("Switched to version 2.0"));
        assertFinishedWith(h.store("left-2"), newer);
        assertThat(old.discarded).isTrue();
        assertThat(h.peers.calls.stream().map(FakePeers.Call::path)).doesNotContain("bin/game.bin");
        assertThat(end.reusedBytes()).isGreaterThanOrEqualTo(20L * FakeGame.CHUNK);
    }

    @Test
    void cancelDeletesWhatWasWrittenAndEndsOnce() {
        harness().start();
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(3);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.status(id).downloadedBytes() >= 3L * FakeGame.CHUNK, () -> "3 chunks");
        assertThat(h.manager.cancel(id)).isTrue();

        assertThat(h.status(id).state()).isEqualTo(DownloadState.CANCELLED);
        assertThat(h.store(id).discarded).isTrue();
        assertThat(h.manager.cancel(id)).isFalse();
        assertThat(h.manager.resume(id)).isFalse();
        a.release();
        h.awaitEnd(id);
        assertThat(h.listener.count("cancelled", id)).isEqualTo(1);
        assertThat(h.manager.remove(id)).isTrue();
        assertThat(h.manager.download(id)).isEmpty();
    }

    @Test
    void aFullDiskFailsWithASentenceAndKeepsNothing() {
        harness().start();
        h.stores.failWritesAfter = 4;
        h.peer("a", "10.0.0.1", game);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).startsWith("The disk is full").doesNotContain("Exception");
        assertThat(h.store(id).discarded).isTrue();
        assertThat(h.store(id).installedNow).isFalse();
    }

    @Test
    void notEnoughFreeSpaceIsRefusedBeforeFetching() {
        harness().start();
        h.stores.freeBytes = 1000;
        h.peer("a", "10.0.0.1", game);

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        DownloadStatus end = h.awaitEnd(id);

        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).startsWith("Not enough free space");
        assertThat(h.peers.calls).isEmpty();
    }

    @Test
    void twoDownloadsThatDoNotBothFitRefuseTheSecondUpFrontAndTheFirstCompletes() {
        harness().start();
        FakeGame doom = FakeGame.sample("doom", "1.0", 2);
        h.stores.freeBytes = game.size() + doom.size() / 2; // either fits alone, not both
        FakePeers.Peer quakeSource = h.peer("a", "10.0.0.1", game);
        quakeSource.pauseAfter(2);
        h.peer("b", "10.0.0.2", doom);

        String first = h.manager.start(DownloadRequest.newest("quake")).id();
        Harness.await(() -> h.stores.open.containsKey(first), () -> "the first download opened its store");
        DownloadStatus second = h.awaitEnd(h.manager.start(DownloadRequest.newest("doom")).id());

        assertThat(second.state()).isEqualTo(DownloadState.FAILED);
        assertThat(second.error()).startsWith("Not enough free space for doom").contains("other downloads still need");
        assertThat(h.peers.calls("b")).as("nothing fetched for the refused download").isZero();
        quakeSource.release();
        DownloadStatus end = h.awaitEnd(first);
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertFinishedWith(h.store(first), game);

        DownloadStatus again = h.awaitEnd(h.manager.start(DownloadRequest.newest("doom")).id());
        assertThat(again.state()).as("the space the first one held is given back when it ends")
                .isEqualTo(DownloadState.FINISHED);
    }

    @Test
    void aDownloadLeftByAPreviousRunHoldsTheSpaceItStillNeeds() {
        h = new Harness();
        BitSet done = new BitSet();
        done.set(0, 5);
        h.stores.leftOver("left-3", game, done);
        FakeGame doom = FakeGame.sample("doom", "1.0", 2);
        long quakeLeft = game.size() - 5L * FakeGame.CHUNK;
        h.stores.freeBytes = quakeLeft + doom.size() / 2; // the rest of quake fits, doom does not beside it
        h.start();
        Harness.await(() -> h.manager.download("left-3").isPresent(), () -> "recovered download");
        h.awaitState("left-3", DownloadState.WAITING);
        h.peer("b", "10.0.0.2", doom);

        DownloadStatus second = h.awaitEnd(h.manager.start(DownloadRequest.newest("doom")).id());

        assertThat(second.state()).isEqualTo(DownloadState.FAILED);
        assertThat(second.error()).startsWith("Not enough free space for doom")
                .contains("other downloads still need " + Sentences.bytes(quakeLeft));
        assertThat(h.peers.calls("b")).as("nothing fetched for the refused download").isZero();

        FakePeers.Peer back = h.peers.add("a", "10.0.0.1", game);
        h.discover(back);
        assertThat(h.awaitEnd("left-3").state()).isEqualTo(DownloadState.FINISHED);
        DownloadStatus again = h.awaitEnd(h.manager.start(DownloadRequest.newest("doom")).id());
        assertThat(again.state()).as("the recovered download gives its space back when it ends")
                .isEqualTo(DownloadState.FINISHED);
    }

    @Test
    void startRefusesASecondDownloadOfTheSameGameAndUnsafeIds() {
        harness().start();
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(0);
        h.manager.start(DownloadRequest.newest("quake"));

        assertThatThrownBy(() -> h.manager.start(DownloadRequest.newest("quake")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.manager.start(DownloadRequest.newest("../etc")))
                .isInstanceOf(IllegalArgumentException.class);
        a.release();
    }

    @Test
    void aGameNobodyHasFails() {
        harness().start();
        String id = h.manager.start(DownloadRequest.newest("nothing")).id();
        DownloadStatus end = h.awaitEnd(id);
        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).isEqualTo("No peer has nothing.");
    }

    @Test
    void downloadsAreListedActiveFirstThenInterruptedThenEnded() {
        harness().with("waiting.timeout.seconds", 1).start();
        String failed = h.manager.start(DownloadRequest.newest("nothing")).id();
        h.awaitEnd(failed);
        FakePeers.Peer a = h.peer("a", "10.0.0.1", game);
        a.pauseAfter(0);
        String running = h.manager.start(DownloadRequest.newest("quake")).id();
        h.awaitState(running, DownloadState.RUNNING);

        assertThat(h.manager.downloads().stream().map(DownloadStatus::id)).containsExactly(running, failed);
        a.release();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheNewsAndProgressIsCoalesced() {
        harness().start();
        h.manager.addListener(new io.lanspread.api.download.DownloadListener() {
            @Override
            public void begin(DownloadStatus status) {
                throw new IllegalStateException("broken on purpose");
            }

            @Override
            public void progress(DownloadStatus status) {
                throw new IllegalStateException("broken on purpose");
            }
        });
        h.peer("a", "10.0.0.1", game).delayMillis = 10;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        h.awaitEnd(id);

        assertThat(h.listener.count("begin", id)).isEqualTo(1);
        assertThat(h.listener.count("finished", id)).isEqualTo(1);
        // 34 chunks were written, but progress came at most every interval (50 ms here), not per chunk
        assertThat(h.listener.count("progress", id)).isLessThan(game.chunkCount());
        assertThat(h.listener.calls.get(h.listener.calls.size() - 1)).startsWith("finished:");
    }

    @Test
    void theProgressTickRunsOnlyWhileADownloadDoes() {
        harness().start();
        assertThat(h.manager.ticking()).as("an idle manager has no timer").isFalse();
        h.peer("a", "10.0.0.1", game).delayMillis = 10;

        String id = h.manager.start(DownloadRequest.newest("quake")).id();
        assertThat(h.manager.ticking()).as("ticking during the download").isTrue();
        h.awaitEnd(id);

        assertThat(h.listener.count("progress", id)).as("progress came from the tick").isPositive();
        Harness.await(() -> !h.manager.ticking(), () -> "the tick still runs after the download ended");
    }

    /** Delegates to another planner and counts what it planned. */
    static final class CountingPlanner implements DownloadPlanner {
        final DownloadPlanner delegate;
        final AtomicInteger planned = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        CountingPlanner(DownloadPlanner delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public PlannerSession open(PlanningContext context) {
            PlannerSession inner = delegate.open(context);
            return new PlannerSession() {
                @Override
                public List<PlannedRequest> next(SourceView source, int room) {
                    List<PlannedRequest> requests = inner.next(source, room);
                    planned.addAndGet(requests.size());
                    return requests;
                }

                @Override
                public void chunkDone(io.lanspread.api.download.Chunk chunk, SourceView from) {
                    inner.chunkDone(chunk, from);
                }

                @Override
                public void chunkFailed(io.lanspread.api.download.Chunk chunk, SourceView from) {
                    inner.chunkFailed(chunk, from);
                }

                @Override
                public void sourcesChanged() {
                    inner.sourcesChanged();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                    inner.close();
                }
            };
        }
    }
}
