package io.lanspread.download.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.download.PeerSource;
import io.lanspread.api.download.SourceLoad;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.download.internal.FakePeers.Outcome;
import io.lanspread.download.internal.FakePeers.Peer;
import io.lanspread.download.internal.FakePeers.Served;
import io.lanspread.download.internal.planner.LeastLoadedPlanner;
import io.lanspread.download.internal.planner.RoundRobinPlanner;

class DownloadManagerTest {
    private static final String PART = ".version.ini.lanspread-part";

    @TempDir
    Path temp;
    private Path remote;
    private Path local;
    /** A pristine copy of the version 0.9 that {@link #installOldVersion} installs. */
    private Path oldVersion;
    private TestLibrary library;
    private FakePeers peers;
    private Peer a;
    private Peer b;
    private Peer c;
    private List<GameFile> files;
    private final List<DownloadManagerImpl> managers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        remote = Files.createDirectories(temp.resolve("remote"));
        local = Files.createDirectories(temp.resolve("local"));
        GameTrees.writeSampleGame(remote.resolve("game1"), "1.0", 1);
        files = GameTrees.list(remote.resolve("game1"));
        peers = new FakePeers();
        a = peers.add("a", remote);
        b = peers.add("b", remote);
        c = peers.add("c", remote);
        library = new TestLibrary(local);
    }

    @AfterEach
    void tearDown() {
        managers.forEach(DownloadManagerImpl::deactivate);
        peers.close();
    }

    private DownloadManagerImpl manager(Map<String, ?> config) {
        DownloadManagerImpl manager = new DownloadManagerImpl(library, peers,
                Configs.of(DownloadManagerImpl.Config.class, config));
        manager.planner = new LeastLoadedPlanner();
        managers.add(manager);
        return manager;
    }

    private DownloadManagerImpl manager() {
        return manager(Map.of());
    }

    private DownloadRequest request(String gameId, List<GameFile> tree) {
        return new DownloadRequest(new Game(gameId, gameId, "1.0", GameTrees.size(tree)), tree, peers.sources());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private Path game(String id) {
        return local.resolve(id);
    }

    private static List<String> hiddenLeftovers(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".version.ini")).toList();
        }
    }

    private Path tmp() {
        return local.resolve(".lanspread-tmp");
    }

    /** The staging (and parked old) folders of a game's downloads: {@code .lanspread-tmp/<id>-*}. */
    private List<Path> staged(String gameId) throws IOException {
        if (!Files.isDirectory(tmp())) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(tmp())) {
            return list.filter(p -> p.getFileName().toString().startsWith(gameId + "-")).toList();
        }
    }

    @Test
    void downloadsTheWholeTreeByteIdenticalFromThreeSourcesSpreadOverAll() throws Exception {
        DownloadManagerImpl manager = manager();
        RecordingListener listener = new RecordingListener();

        DownloadStatus first = manager.start(request("game1", files), listener);
        assertThat(first.state()).isEqualTo(DownloadState.RUNNING);
        assertThat(first.totalBytes()).isEqualTo(GameTrees.size(files));

        DownloadStatus end = listener.awaitEnd();
        assertThat(end.state()).as(String.valueOf(end.error())).isEqualTo(DownloadState.FINISHED);
        assertThat(end.downloadedBytes()).isEqualTo(end.totalBytes());
        assertThat(GameTrees.difference(remote.resolve("game1"), game("game1"))).isNull();
        assertThat(game("game1").resolve("saves")).isEmptyDirectory();
        assertThat(game("game1").resolve("data/empty.txt")).isEmptyFile();
        assertThat(hiddenLeftovers(game("game1"))).isEmpty();
        assertThat(library.rescans.get()).isEqualTo(1);
        assertThat(library.game("game1")).map(Game::version).contains("1.0");

        for (Peer peer : List.of(a, b, c)) {
            assertThat(peers.served(peer.id, Outcome.OK)).as("chunks served by " + peer.id).isNotEmpty();
            assertThat(peer.maxInFlight.get()).as("requests in flight at " + peer.id).isLessThanOrEqualTo(4);
        }
        long expectedChunks = files.stream().filter(f -> !f.directory())
                .mapToLong(f -> (f.size() + DownloadJob.CHUNK_SIZE - 1) / DownloadJob.CHUNK_SIZE).sum();
        assertThat(peers.log).hasSize((int) expectedChunks); // each chunk fetched exactly once

        assertThat(listener.calls).startsWith("begin").endsWith("finished");
        assertThat(listener.failed).isEmpty();
        assertThat(manager.download(first.id())).map(DownloadStatus::state).contains(DownloadState.FINISHED);
        assertThat(manager.downloads()).extracting(DownloadStatus::id).containsExactly(first.id());
    }

    @Test
    void aPeerThatFailsEveryChunkIsWorkedAroundOnOtherPeers() throws Exception {
        b.failAll = true;
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(GameTrees.difference(remote.resolve("game1"), game("game1"))).isNull();
        List<Served> failures = peers.served("b", Outcome.FAILED);
        assertThat(failures).isNotEmpty();
        assertRetriedElsewhere(failures, "b");
    }

    @Test
    void corruptBytesAreDetectedAndFetchedAgainElsewhere() throws Exception {
        b.corruptAll = true;
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(GameTrees.difference(remote.resolve("game1"), game("game1"))).isNull();
        List<Served> corrupt = peers.served("b", Outcome.CORRUPT);
        assertThat(corrupt).isNotEmpty();
        assertRetriedElsewhere(corrupt, "b");
    }

    private void assertRetriedElsewhere(List<Served> bad, String badPeer) {
        for (Served s : bad) {
            int index = peers.log.indexOf(s);
            assertThat(peers.log.subList(index + 1, peers.log.size()))
                    .as("retry of %s@%d", s.path(), s.offset())
                    .anySatisfy(later -> {
                        assertThat(later.path()).isEqualTo(s.path());
                        assertThat(later.offset()).isEqualTo(s.offset());
                        assertThat(later.outcome()).isEqualTo(Outcome.OK);
                        assertThat(later.peerId()).isNotEqualTo(badPeer);
                    });
        }
    }

    @Test
    void whenEveryPeerFailsTheDownloadFailsNamingTheFileAndLeavesNothingBehind() throws Exception {
        List.of(a, b, c).forEach(p -> p.failAll = true);
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", files), listener);

        DownloadStatus end = listener.awaitEnd();
        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).contains("all peers gone").containsAnyOf(
                files.stream().filter(f -> !f.directory()).map(GameFile::path).toArray(String[]::new));
        assertThat(game("game1")).doesNotExist();
        assertThat(staged("game1")).isEmpty();
        assertThat(listener.failed).hasSize(1);
        assertThat(listener.finished).isEmpty();
        assertThat(listener.cancelled).isEmpty();
    }

    @Test
    void aChunkIsTriedOnEveryPeerAndFailsAfterMaxAttempts() throws Exception {
        List.of(a, b, c).forEach(p -> p.failAll = true);
        RecordingListener listener = new RecordingListener();

        manager(Map.of("drop.after.failures", 1000)).start(request("game1", files), listener);

        DownloadStatus end = listener.awaitEnd();
        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        Matcher m = Pattern.compile("could not fetch (\\S+) at offset (\\d+) .* after 4 attempts").matcher(end.error());
        assertThat(m.find()).as(end.error()).isTrue();
        String path = m.group(1);
        long offset = Long.parseLong(m.group(2));
        List<String> tried = peers.log.stream().filter(s -> s.path().equals(path) && s.offset() == offset)
                .map(Served::peerId).toList();
        assertThat(tried).hasSize(4);
        assertThat(new HashSet<>(tried.subList(0, 3))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(game("game1")).doesNotExist();
        assertThat(staged("game1")).isEmpty();
    }

    @Test
    void aPeerThatVanishesMidDownloadIsReplaced() throws Exception {
        c.vanishAfter = 1;
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(GameTrees.difference(remote.resolve("game1"), game("game1"))).isNull();
        assertThat(peers.served("c", Outcome.VANISHED)).isNotEmpty();
    }

    @Test
    void aPeerThatNeverAnswersTimesOutAndItsChunksMoveOn() throws Exception {
        c.hang = true;
        RecordingListener listener = new RecordingListener();

        manager(Map.of("chunk.timeout.seconds", 1L)).start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(GameTrees.difference(remote.resolve("game1"), game("game1"))).isNull();
        assertThat(peers.served("c", Outcome.OK)).isEmpty();
    }

    @Test
    void cancelMidDownloadRemovesEverythingAndReportsNoFailure() throws Exception {
        c.hang = true; // keeps the download running until cancelled
        DownloadManagerImpl manager = manager(Map.of("progress.interval.millis", 20L));
        RecordingListener listener = new RecordingListener();

        String id = manager.start(request("game1", files), listener).id();
        listener.firstBytes.get(20, TimeUnit.SECONDS);
        assertThat(staged("game1")).singleElement().satisfies(dir -> assertThat(dir.getFileName()).hasToString("game1-" + id));
        assertThat(game("game1")).doesNotExist(); // written only into the staging folder

        assertThat(manager.cancel(id)).isTrue();

        assertThat(game("game1")).doesNotExist();
        assertThat(staged("game1")).isEmpty();
        assertThat(manager.download(id)).map(DownloadStatus::state).contains(DownloadState.CANCELLED);
        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.CANCELLED);
        assertThat(listener.failed).isEmpty();
        assertThat(listener.finished).isEmpty();
        assertThat(manager.cancel(id)).isFalse();
        assertThat(manager.cancel("no-such-download")).isFalse();

        await("answers still on their way", () -> peers.pending.get() == 0);
        assertThat(game("game1")).doesNotExist();
        assertThat(staged("game1")).isEmpty();
        assertThat(listener.calls).containsOnlyOnce("cancelled").last().isEqualTo("cancelled");
    }

    @Test
    void versionIniAppearsOnlyAtTheVeryEnd() throws Exception {
        List.of(a, b, c).forEach(p -> p.delayMillis = 40);
        Path sentinel = game("game1").resolve("version.ini");
        List<Boolean> sentinelDuringProgress = new CopyOnWriteArrayList<>();
        List<Boolean> partDuringProgress = new CopyOnWriteArrayList<>();
        AtomicInteger sentinelAtFinish = new AtomicInteger();
        RecordingListener listener = new RecordingListener(status -> {
            sentinelDuringProgress.add(Files.exists(sentinel));
            try {
                partDuringProgress.add(staged("game1").stream().anyMatch(dir -> Files.exists(dir.resolve(PART))));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }) {
            @Override
            public void finished(DownloadStatus status) {
                sentinelAtFinish.set(Files.exists(sentinel) ? 1 : -1);
                super.finished(status);
            }
        };

        manager(Map.of("parallel.per.peer", 1, "progress.interval.millis", 20L)).start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(sentinelDuringProgress).isNotEmpty().containsOnly(false);
        assertThat(partDuringProgress).contains(true);
        assertThat(sentinelAtFinish.get()).isEqualTo(1);
        assertThat(Files.readString(sentinel)).isEqualTo("1.0\n");
        assertThat(game("game1").resolve(PART)).doesNotExist();
        assertThat(staged("game1")).isEmpty();
    }

    @Test
    void progressIsReportedAndNeverOvershoots() throws Exception {
        List.of(a, b, c).forEach(p -> p.delayMillis = 50);
        RecordingListener listener = new RecordingListener();

        manager(Map.of("parallel.per.peer", 1, "progress.interval.millis", 20L)).start(request("game1", files), listener);

        DownloadStatus end = listener.awaitEnd();
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(listener.progress).isNotEmpty();
        long previous = 0;
        for (DownloadStatus status : listener.progress) {
            assertThat(status.state()).isEqualTo(DownloadState.RUNNING);
            assertThat(status.downloadedBytes()).isBetween(previous, status.totalBytes());
            assertThat(status.activePeers()).isBetween(0, 3);
            previous = status.downloadedBytes();
        }
        assertThat(listener.progress).anySatisfy(s -> assertThat(s.bytesPerSecond()).isPositive());
        assertThat(listener.progress).anySatisfy(s -> assertThat(s.activePeers()).isPositive());
        assertThat(end.downloadedBytes()).isEqualTo(end.totalBytes()).isEqualTo(GameTrees.size(files));
        assertThat(listener.calls.get(0)).isEqualTo("begin");
        assertThat(listener.calls.get(listener.calls.size() - 1)).isEqualTo("finished");
    }

    @ParameterizedTest
    @ValueSource(strings = { "../evil.txt", "/etc/evil", "bin/../../evil", "bin\\evil", "./x/../../../evil" })
    void anUnsafePathIsRejectedBeforeAnythingIsWritten(String unsafe) throws Exception {
        List<GameFile> tree = new ArrayList<>(files);
        tree.add(new GameFile(unsafe, 10, false));
        DownloadManagerImpl manager = manager();

        assertThatThrownBy(() -> manager.start(request("game1", tree), new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsafe path");

        try (Stream<Path> left = Files.list(local)) {
            assertThat(left).isEmpty();
        }
        assertThat(temp.resolve("evil.txt")).doesNotExist();
        assertThat(peers.requests.get()).isZero();
        assertThat(manager.downloads()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "../local2", ".lanspread-tmp", ".hidden" })
    void anUnsafeGameIdIsRejected(String unsafe) throws Exception {
        assertThatThrownBy(() -> manager().start(request(unsafe, files), new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(temp.resolve("local2")).doesNotExist();
        try (Stream<Path> left = Files.list(local)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void requestsWithoutSourcesOrWithoutVersionIniAreRejected() {
        DownloadManagerImpl manager = manager();
        Game game = new Game("game1", "game1", "1.0", GameTrees.size(files));
        assertThatThrownBy(() -> manager.start(new DownloadRequest(game, files, List.of()), new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no sources");
        List<GameFile> withoutSentinel = files.stream().filter(f -> !f.path().equals("version.ini")).toList();
        assertThatThrownBy(() -> manager.start(request("game1", withoutSentinel), new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version.ini");
        assertThat(game("game1")).doesNotExist();
    }

    @Test
    void aSecondStartOfARunningGameIsRefused() throws Exception {
        c.hang = true;
        DownloadManagerImpl manager = manager();
        RecordingListener listener = new RecordingListener();
        String id = manager.start(request("game1", files), listener).id();

        assertThatThrownBy(() -> manager.start(request("game1", files), new RecordingListener()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("game1");

        assertThat(manager.cancel(id)).isTrue();
        c.hang = false;
        RecordingListener again = new RecordingListener();
        manager.start(request("game1", files), again);
        assertThat(again.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(manager.downloads()).extracting(DownloadStatus::state)
                .containsExactly(DownloadState.CANCELLED, DownloadState.FINISHED);
    }

    @Test
    void runningDownloadsAreListedFirst() throws Exception {
        GameTrees.writeSampleGame(remote.resolve("game2"), "2.0", 2);
        DownloadManagerImpl manager = manager();
        RecordingListener one = new RecordingListener();
        manager.start(request("game1", files), one);
        assertThat(one.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);

        c.hang = true;
        manager.start(request("game2", GameTrees.list(remote.resolve("game2"))), new RecordingListener());

        assertThat(manager.downloads()).extracting(DownloadStatus::gameId, DownloadStatus::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("game2", DownloadState.RUNNING),
                org.assertj.core.groups.Tuple.tuple("game1", DownloadState.FINISHED));
    }

    @Test
    void swappingThePlannerBetweenDownloadsUsesTheNewOne() throws Exception {
        GameTrees.writeSampleGame(remote.resolve("game2"), "2.0", 2);
        DownloadManagerImpl manager = manager();
        PreferringPlanner first = new PreferringPlanner("a");
        PreferringPlanner second = new PreferringPlanner("c");

        manager.planner = first;
        RecordingListener one = new RecordingListener();
        manager.start(request("game1", files), one);
        assertThat(one.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(peers.log).extracting(Served::peerId).containsOnly("a");
        int firstCalls = first.calls.get();
        assertThat(firstCalls).isPositive();

        manager.planner = second; // what DS does on a greedy dynamic rebind
        RecordingListener two = new RecordingListener();
        manager.start(request("game2", GameTrees.list(remote.resolve("game2"))), two);
        assertThat(two.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);

        assertThat(peers.log.stream().filter(s -> s.gameId().equals("game2")).map(Served::peerId)).containsOnly("c");
        assertThat(second.calls.get()).isPositive();
        assertThat(first.calls.get()).isEqualTo(firstCalls);
        assertThat(GameTrees.difference(remote.resolve("game2"), game("game2"))).isNull();
    }

    @Test
    void theRoundRobinPlannerAlsoDownloadsCorrectly() throws Exception {
        DownloadManagerImpl manager = manager();
        manager.planner = new RoundRobinPlanner();
        RecordingListener listener = new RecordingListener();

        manager.start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(GameTrees.difference(remote.resolve("game1"), game("game1"))).isNull();
        assertThat(peers.log).extracting(Served::peerId).contains("a", "b", "c");
    }

    @Test
    void aPlannerThatPicksNothingFailsTheDownloadInsteadOfHanging() throws Exception {
        DownloadManagerImpl manager = manager();
        manager.planner = new PreferringPlanner("nobody");
        RecordingListener listener = new RecordingListener();

        manager.start(request("game1", files), listener);

        DownloadStatus end = listener.awaitEnd();
        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).contains("chose no source");
        assertThat(game("game1")).doesNotExist();
        assertThat(staged("game1")).isEmpty();
    }

    @Test
    void notEnoughDiskSpaceFailsBeforeAnythingIsFetched() throws Exception {
        List<GameFile> tree = new ArrayList<>(files);
        tree.add(new GameFile("huge.bin", 1L << 55, false));
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", tree), listener);

        DownloadStatus end = listener.awaitEnd();
        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).contains("not enough disk space: need").contains("complete copy").contains(", have ");
        assertThat(peers.requests.get()).isZero();
        assertThat(game("game1")).doesNotExist();
        assertThat(staged("game1")).isEmpty();
    }

    @Test
    void notEnoughDiskSpaceForAnUpdateSaysTheInstalledCopyStaysMeanwhile() throws Exception {
        installOldVersion();
        List<GameFile> tree = new ArrayList<>(files);
        tree.add(new GameFile("huge.bin", 1L << 55, false));
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", tree), listener);

        DownloadStatus end = listener.awaitEnd();
        assertThat(end.state()).isEqualTo(DownloadState.FAILED);
        assertThat(end.error()).contains("not enough disk space: need").contains("beside the installed one");
        assertInstalledOldVersionIntact();
    }

    @Test
    void duringAnUpdateTheInstalledGameStaysIntactCompleteAndListedUntilTheSwap() throws Exception {
        installOldVersion();
        List.of(a, b, c).forEach(p -> p.delayMillis = 40);
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Long> checkedAt = new CopyOnWriteArrayList<>();
        List<Boolean> staging = new CopyOnWriteArrayList<>();
        RecordingListener listener = new RecordingListener(status -> {
            try {
                String difference = GameTrees.difference(oldVersion, game("game1"));
                if (difference != null) {
                    problems.add("at " + status.downloadedBytes() + " bytes: " + difference);
                }
                if (!Files.isRegularFile(game("game1").resolve("version.ini"))) {
                    problems.add("at " + status.downloadedBytes() + " bytes: no version.ini");
                }
                if (!library.game("game1").map(Game::version).equals(Optional.of("0.9"))) {
                    problems.add("at " + status.downloadedBytes() + " bytes: 0.9 not listed");
                }
                staging.add(!staged("game1").isEmpty());
                checkedAt.add(status.downloadedBytes());
            } catch (IOException e) {
                problems.add(e.toString());
            }
        });

        manager(Map.of("parallel.per.peer", 1, "progress.interval.millis", 10L)).start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(problems).isEmpty();
        assertThat(checkedAt).as("progress while bytes were being written")
                .anySatisfy(bytes -> assertThat(bytes).isPositive().isLessThan(GameTrees.size(files)));
        assertThat(staging).isNotEmpty().containsOnly(true);
        assertThat(library.game("game1")).map(Game::version).contains("1.0");
    }

    @Test
    void afterAnUpdateTheTreeIsExactlyTheNewVersionAndNothingIsLeftBehind() throws Exception {
        installOldVersion();
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(game("game1").resolve("old-only.txt")).doesNotExist();
        assertThat(game("game1").resolve("old-only-dir")).doesNotExist();
        assertThat(GameTrees.difference(remote.resolve("game1"), game("game1"))).isNull();
        assertThat(hiddenLeftovers(game("game1"))).isEmpty();
        assertThat(staged("game1")).isEmpty(); // neither the staging folder nor the replaced copy
        assertThat(library.game("game1")).map(Game::version).contains("1.0");
        assertThat(library.rescans.get()).isEqualTo(1);
    }

    @Test
    void aFailedUpdateLeavesTheInstalledVersionIntact() throws Exception {
        installOldVersion();
        List.of(a, b, c).forEach(p -> p.failAll = true);
        RecordingListener listener = new RecordingListener();

        manager().start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FAILED);
        assertInstalledOldVersionIntact();
        assertThat(library.rescans.get()).isZero();
    }

    @Test
    void aCancelledUpdateLeavesTheInstalledVersionIntact() throws Exception {
        installOldVersion();
        c.hang = true;
        DownloadManagerImpl manager = manager(Map.of("progress.interval.millis", 20L));
        RecordingListener listener = new RecordingListener();
        String id = manager.start(request("game1", files), listener).id();
        listener.firstBytes.get(20, TimeUnit.SECONDS);
        assertThat(staged("game1")).hasSize(1);

        assertThat(manager.cancel(id)).isTrue();

        assertInstalledOldVersionIntact(); // at once: cancel has removed what it wrote when it returns
        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.CANCELLED);
        await("answers still on their way", () -> peers.pending.get() == 0);
        assertInstalledOldVersionIntact();
    }

    @Test
    void deactivationDuringAnUpdateLeavesTheInstalledVersionIntact() throws Exception {
        installOldVersion();
        c.hang = true;
        DownloadManagerImpl manager = manager(Map.of("progress.interval.millis", 20L));
        RecordingListener listener = new RecordingListener();
        manager.start(request("game1", files), listener);
        listener.firstBytes.get(20, TimeUnit.SECONDS);

        manager.deactivate();
        managers.remove(manager);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.CANCELLED);
        assertInstalledOldVersionIntact();
    }

    private void assertInstalledOldVersionIntact() throws IOException {
        assertThat(GameTrees.difference(oldVersion, game("game1"))).isNull();
        assertThat(library.game("game1")).map(Game::version).contains("0.9");
        assertThat(staged("game1")).isEmpty();
    }

    /** Installs version 0.9 of game1 (random bytes, so a zero-filled or overwritten file shows) and keeps a pristine copy. */
    private void installOldVersion() throws IOException {
        oldVersion = temp.resolve("old-version").resolve("game1");
        writeOldVersion(oldVersion);
        writeOldVersion(game("game1"));
        assertThat(GameTrees.difference(oldVersion, game("game1"))).isNull();
        assertThat(library.game("game1")).map(Game::version).contains("0.9");
    }

    private static void writeOldVersion(Path game) throws IOException {
        Random random = new Random(9);
        Files.createDirectories(game.resolve("bin"));
        Files.createDirectories(game.resolve("data/levels"));
        Files.createDirectories(game.resolve("old-only-dir/sub"));
        Files.writeString(game.resolve("version.ini"), "0.9\n");
        Files.write(game.resolve("bin/game.bin"), GameTrees.bytes(random, 5 * 1024 * 1024 + 7)); // longer than the new one
        Files.write(game.resolve("data/levels/level1.dat"), GameTrees.bytes(random, 70_000)); // same path, other bytes
        Files.writeString(game.resolve("old-only.txt"), "from 0.9");
    }

    @Test
    void leftoversOfAPreviousRunAreDeletedOnActivationAndNothingElse() throws Exception {
        Path staging = Files.createDirectories(tmp().resolve("game1-" + UUID.randomUUID()).resolve("bin"));
        Files.write(staging.resolve("game.bin"), new byte[1000]);
        GameTrees.writeSampleGame(game("game2"), "2.0", 2);
        Path replaced = tmp().resolve("game2-" + UUID.randomUUID() + "-old");
        GameTrees.writeSampleGame(replaced, "1.0", 3);
        Files.writeString(tmp().resolve("stray.txt"), "x");
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "not ours");
        Files.createSymbolicLink(tmp().resolve("a-link"), outside);
        Path otherHidden = Files.createDirectories(local.resolve(".other"));
        Files.writeString(otherHidden.resolve("keep.txt"), "not ours either");
        // a crash between the swap's two renames: the installed copy is parked and its folder is missing
        Path parked = tmp().resolve("game3-" + UUID.randomUUID() + "-old");
        GameTrees.writeSampleGame(parked, "3.0", 4);
        Path pristine3 = temp.resolve("pristine3");
        GameTrees.writeSampleGame(pristine3, "3.0", 4);
        Path pristine2 = temp.resolve("pristine2");
        GameTrees.writeSampleGame(pristine2, "2.0", 2);

        manager();

        await("leftovers deleted", () -> {
            try (Stream<Path> left = Files.list(tmp())) {
                return left.findAny().isEmpty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(outside.resolve("keep.txt")).hasContent("not ours");
        assertThat(otherHidden.resolve("keep.txt")).hasContent("not ours either");
        assertThat(GameTrees.difference(pristine2, game("game2"))).isNull();
        assertThat(GameTrees.difference(pristine3, game("game3"))).isNull();
    }

    @Test
    void anEndedDownloadKeepsOnlyItsFinalStatus() throws Exception {
        c.hang = true;
        DownloadManagerImpl manager = manager();
        RecordingListener listener = new RecordingListener();
        String id = manager.start(request("game1", files), listener).id();
        listener.firstBytes.get(20, TimeUnit.SECONDS);
        DownloadJob job = manager.runningJob(id).orElseThrow();
        assertThat(job.chunkTasksHeld()).isPositive();

        assertThat(manager.cancel(id)).isTrue();

        assertThat(manager.runningJob(id)).isEmpty();
        assertThat(job.chunkTasksHeld()).isZero();
        assertThat(manager.download(id)).map(DownloadStatus::state).contains(DownloadState.CANCELLED);

        c.hang = false;
        RecordingListener again = new RecordingListener();
        String second = manager.start(request("game1", files), again).id();
        DownloadStatus end = again.awaitEnd();
        assertThat(end.state()).isEqualTo(DownloadState.FINISHED);
        assertThat(manager.runningJob(second)).isEmpty();
        assertThat(manager.download(second)).contains(end);
        assertThat(manager.downloads()).extracting(DownloadStatus::id).containsExactly(id, second);
    }

    @Test
    void aGameOfOnlyEmptyFilesAndFoldersFinishes() throws Exception {
        Path tiny = Files.createDirectories(remote.resolve("tiny").resolve("empty-dir"));
        Files.write(tiny.getParent().resolve("version.ini"), new byte[0]);
        Files.write(tiny.getParent().resolve("nothing.txt"), new byte[0]);
        RecordingListener listener = new RecordingListener();

        manager().start(request("tiny", GameTrees.list(remote.resolve("tiny"))), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(GameTrees.difference(remote.resolve("tiny"), game("tiny"))).isNull();
        assertThat(peers.requests.get()).isZero();
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheDownload() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        RecordingListener listener = new RecordingListener(status -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("listener bug");
        }) {
            @Override
            public void begin(DownloadStatus status) {
                super.begin(status);
                thrown.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }
        };
        List.of(a, b, c).forEach(p -> p.delayMillis = 30);

        manager(Map.of("progress.interval.millis", 10L)).start(request("game1", files), listener);

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.FINISHED);
        assertThat(thrown.get()).isGreaterThan(1);
    }

    @Test
    void deactivationCancelsRunningDownloadsAndCleansUp() throws Exception {
        c.hang = true;
        DownloadManagerImpl manager = manager(Map.of("progress.interval.millis", 20L));
        RecordingListener listener = new RecordingListener();
        manager.start(request("game1", files), listener);
        listener.firstBytes.get(20, TimeUnit.SECONDS);

        manager.deactivate();

        assertThat(listener.awaitEnd().state()).isEqualTo(DownloadState.CANCELLED);
        assertThat(game("game1")).doesNotExist();
        assertThat(staged("game1")).isEmpty();
        assertThatThrownBy(() -> manager.start(request("game1", files), new RecordingListener()))
                .isInstanceOf(IllegalStateException.class);
        managers.remove(manager);
    }

    /** Picks one peer whenever it has room, else declines; counts its calls. */
    static final class PreferringPlanner implements DownloadPlanner {
        final String preferred;
        final AtomicInteger calls = new AtomicInteger();

        PreferringPlanner(String preferred) {
            this.preferred = preferred;
        }

        @Override
        public String name() {
            return "prefer-" + preferred;
        }

        @Override
        public Optional<PeerSource> pick(Chunk chunk, List<SourceLoad> sources, Set<String> excluded) {
            calls.incrementAndGet();
            return sources.stream().map(SourceLoad::source).filter(s -> s.peerId().equals(preferred)).findFirst();
        }
    }

}
