package io.lanspread.catalog.internal;

import static io.lanspread.catalog.internal.GameLibraryTest.game;
import static io.lanspread.catalog.internal.GameLibraryWatchTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.GameManifest;

/** A game is listed only once its files have been quiet for serve.quiet.seconds and it is hashed. */
class GameLibraryServeQuietTest {

    private static final double QUIET_SECONDS = 1.0;
    private static final Duration QUIET = Duration.ofMillis((long) (QUIET_SECONDS * 1000));
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path games;

    @TempDir
    Path state;

    private final List<GameLibrary> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(GameLibrary::deactivate);
    }

    private GameLibrary library(boolean watch) {
        Map<String, Object> config = new HashMap<>(Map.of("games_dir", games.toString(), "rescan_interval_seconds", 0L,
                "watch_enabled", watch, "serve_quiet_seconds", QUIET_SECONDS));
        GameLibrary library = new GameLibrary(GameLibraryTest.config(state, config));
        started.add(library);
        if (watch) {
            await(DEADLINE, library::watching);
        }
        return library;
    }

    @Test
    void aGameBeingWrittenIsNotListedUntilItsFilesAreQuiet() throws IOException {
        GameLibrary library = library(true);
        Path root = game(games, "copying", "1"); // version.ini first, as a careless copy does
        Path data = root.resolve("data.bin");
        long lastWrite = 0;
        for (int i = 0; i < 12; i++) {
            Files.write(data, new byte[64 * 1024], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            lastWrite = System.nanoTime();
            assertThat(library.game("copying")).as("listed while written, round " + i).isEmpty();
            assertThat(library.manifest("copying")).isEmpty();
            LockSupport.parkNanos(Duration.ofMillis(150).toNanos()); // pacing the writer, not waiting for state
        }

        await(DEADLINE, () -> library.game("copying").isPresent());

        assertThat(Duration.ofNanos(System.nanoTime() - lastWrite)).isGreaterThanOrEqualTo(QUIET);
        assertThat(library.manifest("copying").orElseThrow().file("data.bin").orElseThrow().size())
                .isEqualTo(12 * 64 * 1024);
        assertThat(library.game("copying").orElseThrow().size()).isEqualTo(12 * 64 * 1024 + 1);
    }

    @Test
    void aListedGameThatChangesIsWithdrawnAndComesBackWithTheNewManifest() throws Exception {
        Path root = game(games, "g", "1");
        Path data = root.resolve("data.bin");
        Files.write(data, new byte[1000]);
        GameLibrary library = library(true);
        await(DEADLINE, () -> library.game("g").isPresent());
        GameManifest before = library.manifest("g").orElseThrow();
        GameLibraryWatchTest.Recorder recorder = new GameLibraryWatchTest.Recorder(library, "g");
        library.addListener(recorder);
        long listedRevision = library.revision();

        byte[] changed = new byte[1000];
        changed[0] = 1; // same size, other bytes
        Files.write(data, changed);
        Files.setLastModifiedTime(data, FileTime.fromMillis(System.currentTimeMillis() + 10_000));

        await(DEADLINE, () -> library.game("g").isEmpty());
        long withdrawnRevision = library.revision();
        assertThat(library.manifest("g")).isEmpty();
        assertThat(library.isUnchanged("g", "data.bin")).isFalse();
        await(DEADLINE, () -> library.game("g").isPresent());

        GameManifest after = library.manifest("g").orElseThrow();
        assertThat(after.file("data.bin").orElseThrow().sha256())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(changed))
                .isNotEqualTo(before.file("data.bin").orElseThrow().sha256());
        assertThat(library.isUnchanged("g", "data.bin")).isTrue();
        assertThat(withdrawnRevision).isGreaterThan(listedRevision);
        assertThat(library.revision()).isGreaterThan(withdrawnRevision);
        await(DEADLINE, () -> recorder.calls.stream().anyMatch(GameLibraryWatchTest.Recorder.Call::gameListed));
        assertThat(recorder.calls).extracting(GameLibraryWatchTest.Recorder.Call::revision).isSorted()
                .doesNotHaveDuplicates();
        assertThat(recorder.calls.get(0).gameListed()).as("the withdrawal is announced").isFalse();
    }

    @Test
    void rescanReturnsBeforeTheGameIsQuietAndTheGameAppearsLater() throws IOException {
        GameLibrary library = library(false); // no watcher: only the library's own recheck can list it
        Path root = game(games, "late", "1");
        Files.write(root.resolve("data.bin"), new byte[4096]);
        long revision = library.revision();

        library.rescan();

        assertThat(library.game("late")).as("not quiet yet").isEmpty();
        await(DEADLINE, () -> library.game("late").isPresent());
        assertThat(library.revision()).isGreaterThan(revision);
        assertThat(library.settled()).isTrue();
    }
}
