package io.lanspread.catalog.internal;

import static io.lanspread.catalog.internal.GameLibraryTest.game;
import static io.lanspread.catalog.internal.GameLibraryTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.LibraryListener;

/** The watcher and the listener whiteboard, on real files. Budgets are the documented 2 s. */
class GameLibraryWatchTest {

    private static final Duration BUDGET = Duration.ofSeconds(2);

    @TempDir
    Path games;

    @TempDir
    Path state;

    private final List<GameLibrary> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(GameLibrary::deactivate);
    }

    /** Watching, no periodic scans: only the watcher can make a change visible. */
    private GameLibrary watched() {
        return library(Map.of());
    }

    private GameLibrary library(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("games_dir", games.toString(), "rescan_interval_seconds", 0L));
        config.putAll(extra);
        GameLibrary library = new GameLibrary(GameLibraryTest.config(state, config));
        started.add(library);
        if (!Boolean.FALSE.equals(config.get("watch_enabled"))) {
            await(BUDGET, library::watching);
        }
        await(BUDGET, library::settled);
        return library;
    }

    /** Remembers each call and whether the given game was listed at that moment. */
    static final class Recorder implements LibraryListener {
        record Call(long revision, String thread, boolean gameListed) {
        }

        final List<Call> calls = new CopyOnWriteArrayList<>();
        private final GameLibrary library;
        private final String gameId;

        Recorder(GameLibrary library, String gameId) {
            this.library = library;
            this.gameId = gameId;
        }

        @Override
        public void libraryChanged(long revision) {
            calls.add(new Call(revision, Thread.currentThread().getName(), library.game(gameId).isPresent()));
        }
    }

    @Test
    void aCopiedGameIsListedWithinTwoSecondsAndListenersAreTold(@TempDir Path source) throws IOException {
        GameLibrary library = watched();
        Recorder recorder = new Recorder(library, "quake");
        library.addListener(recorder);
        long before = library.revision();
        write(source.resolve("id1/pak0.pak"), 300_000);
        write(source.resolve("id1/maps/e1m1.bsp"), 20_000);
        write(source.resolve("readme.txt"), 10);
        Files.writeString(source.resolve("version.ini"), "version=1.09\n");

        copyTree(source, games.resolve("quake")); // version.ini last, like a download

        Duration took = await(BUDGET, () -> library.game("quake").isPresent());
        assertThat(library.game("quake").orElseThrow()).isEqualTo(new Game("quake", "quake", "1.09", 320_023));
        assertThat(library.revision()).isGreaterThan(before);
        await(BUDGET, () -> recorder.calls.stream().anyMatch(Recorder.Call::gameListed));
        Recorder.Call told = recorder.calls.get(recorder.calls.size() - 1);
        assertThat(told.revision()).isEqualTo(library.revision());
        assertThat(told.thread()).isEqualTo("lanspread-catalog-notify");
        assertThat(took).isLessThan(BUDGET);
    }

    @Test
    void aFolderWithoutVersionIniOrWithOnlyTempVersionFilesNeverAppears() throws IOException {
        game(games, "marker", "1");
        GameLibrary library = watched();
        write(games.resolve("incomplete/data/big.bin"), 1000);
        Files.writeString(games.resolve("incomplete/.version.ini.lanspread-part"), "2");
        Files.writeString(games.resolve("incomplete/.version.ini.lanspread-old"), "1");
        Files.writeString(games.resolve("marker/version.ini"), "2");

        // the marker settles no earlier than the incomplete folder, so both have been rescanned by then
        await(BUDGET, () -> library.game("marker").map(g -> g.version().equals("2")).orElse(false));
        library.rescan();

        assertThat(library.games()).extracting(Game::id).containsExactly("marker");
    }

    @Test
    void aVersionIniRenamedIntoPlaceAnnouncesTheGameAndParkingItAsideHidesIt() throws IOException {
        GameLibrary library = watched();
        Recorder recorder = new Recorder(library, "ut");
        library.addListener(recorder);
        write(games.resolve("ut/System/core.u"), 100);
        Path part = Files.writeString(games.resolve("ut/.version.ini.lanspread-part"), "436");
        Path ini = games.resolve("ut/version.ini");

        Files.move(part, ini, StandardCopyOption.ATOMIC_MOVE);
        await(BUDGET, () -> library.game("ut").isPresent());
        await(BUDGET, () -> recorder.calls.stream().anyMatch(Recorder.Call::gameListed));

        Files.move(ini, games.resolve("ut/.version.ini.lanspread-old"), StandardCopyOption.ATOMIC_MOVE);
        await(BUDGET, () -> library.game("ut").isEmpty());
        await(BUDGET, () -> !recorder.calls.get(recorder.calls.size() - 1).gameListed());
    }

    @Test
    void removingAGameAndEditingItsVersionAreSeenWithinTwoSeconds() throws IOException {
        Path doom = game(games, "doom", "1.9");
        Path quake = game(games, "quake", "1.0");
        write(quake.resolve("id1/pak0.pak"), 10);
        GameLibrary library = watched();
        long revision = library.revision();

        Files.writeString(doom.resolve("version.ini"), "version=2.0\n");
        await(BUDGET, () -> library.game("doom").map(Game::version).orElse("").equals("2.0"));
        assertThat(library.revision()).isGreaterThan(revision);

        deleteTree(quake);
        await(BUDGET, () -> library.game("quake").isEmpty());
        assertThat(library.games()).extracting(Game::id).containsExactly("doom");
    }

    @Test
    void directoriesCreatedAfterTheWatcherStartedAreWatched() throws IOException {
        Path root = game(games, "g", "1");
        GameLibrary library = watched();
        Path deep = root.resolve("a/b/c/d");

        write(deep.resolve("first.bin"), 10);
        await(BUDGET, () -> library.game("g").map(Game::size).orElse(-1L) == 11);
        long revision = library.revision();

        // touches only the deepest directory (no cache key changes): only its own watch sees it
        write(deep.resolve("second.bin"), 5);

        await(BUDGET, () -> library.game("g").map(Game::size).orElse(-1L) == 16);
        assertThat(library.revision()).isGreaterThan(revision);
    }

    @Test
    void anOverflowRescansEverythingAfresh() throws IOException {
        Path root = game(games, "g", "1");
        FileTime fixed = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
        Files.setLastModifiedTime(root.resolve("version.ini"), fixed);
        Files.createDirectories(root.resolve("sub"));
        Files.setLastModifiedTime(root, fixed);
        GameLibrary library = library(Map.of("watch_enabled", false)); // nothing else would notice
        long revision = library.revision();
        write(root.resolve("sub/new.bin"), 50);

        library.everythingTouched();

        await(BUDGET, () -> library.game("g").map(Game::size).orElse(-1L) == 51);
        assertThat(library.revision()).isGreaterThan(revision);
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthersAndUnboundOnesAreNotCalled() throws IOException {
        GameLibrary library = watched();
        List<Long> thrower = new CopyOnWriteArrayList<>();
        Recorder unbound = new Recorder(library, "x");
        Recorder good = new Recorder(library, "x");
        library.addListener(revision -> {
            thrower.add(revision);
            throw new IllegalStateException("listener bug");
        });
        library.addListener(unbound);
        library.addListener(good);
        library.removeListener(unbound);

        game(games, "x", "1");
        library.rescan(); // on the test thread; listeners are still called on the notifier

        await(BUDGET, () -> !good.calls.isEmpty());
        assertThat(thrower).isNotEmpty();
        assertThat(good.calls.get(0).thread()).isEqualTo("lanspread-catalog-notify");
        assertThat(good.calls.get(0).gameListed()).isTrue();
        assertThat(unbound.calls).isEmpty();

        Files.writeString(games.resolve("x/version.ini"), "2");
        await(BUDGET, () -> good.calls.size() >= 2);
        assertThat(good.calls).extracting(Recorder.Call::revision).isSorted().doesNotHaveDuplicates();
        assertThat(thrower).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aListenerBoundLaterIsNotToldAboutPastChanges() throws IOException {
        GameLibrary library = watched();
        Recorder early = new Recorder(library, "first");
        library.addListener(early);
        game(games, "first", "1");
        await(BUDGET, () -> !early.calls.isEmpty());
        long past = library.revision();

        Recorder late = new Recorder(library, "second");
        library.addListener(late);
        game(games, "second", "1");

        await(BUDGET, () -> late.calls.stream().anyMatch(Recorder.Call::gameListed));
        assertThat(late.calls).allSatisfy(call -> assertThat(call.revision()).isGreaterThan(past));
    }

    @Test
    void changingTheGameDirectoryMovesTheWatcher(@TempDir Path other) throws IOException {
        GameLibrary library = watched();
        library.modified(GameLibraryTest.config(state, Map.of("games_dir", other.toString(), "rescan_interval_seconds", 0L)));
        await(BUDGET, library::watching);

        game(other, "moved", "1");

        await(BUDGET, () -> library.game("moved").isPresent());

        library.modified(GameLibraryTest.config(state,
                Map.of("games_dir", other.toString(), "rescan_interval_seconds", 0L, "watch_enabled", false)));
        assertThat(library.watching()).isFalse();
    }

    @Test
    void deactivateStopsEveryThreadOfTheLibrary() throws IOException {
        GameLibrary library = watched();
        library.addListener(revision -> { });
        game(games, "g", "1");
        await(BUDGET, () -> library.game("g").isPresent());

        library.deactivate();
        started.remove(library);

        await(BUDGET, () -> catalogThreads().isEmpty());
        assertThat(library.watching()).isFalse();
    }

    private static List<String> catalogThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("lanspread-catalog"))
                .toList();
    }

    /** Copies files first and the root's version.ini last. */
    static void copyTree(Path from, Path to) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(from)) {
            entries = walk.sorted().toList();
        }
        for (Path entry : entries) {
            Path target = to.resolve(from.relativize(entry).toString());
            if (Files.isDirectory(entry)) {
                Files.createDirectories(target);
            } else if (!entry.equals(from.resolve("version.ini"))) {
                Files.copy(entry, target);
            }
        }
        Files.copy(from.resolve("version.ini"), to.resolve("version.ini"));
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Polls until the condition holds; returns how long that took. */
    static Duration await(Duration budget, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + budget.toMillis() + " ms");
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
