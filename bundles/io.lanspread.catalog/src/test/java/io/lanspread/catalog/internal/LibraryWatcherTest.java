package io.lanspread.catalog.internal;

import static io.lanspread.catalog.internal.GameLibraryWatchTest.await;
import static io.lanspread.catalog.internal.GameLibraryTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryWatcherTest {

    private static final Duration BUDGET = Duration.ofSeconds(2);

    @TempDir
    Path games;

    private final List<String> changed = new CopyOnWriteArrayList<>();
    private final AtomicInteger everything = new AtomicInteger();
    private final AtomicInteger watching = new AtomicInteger();
    private LibraryWatcher watcher;
    private Thread thread;

    private final LibraryWatcher.Sink sink = new LibraryWatcher.Sink() {
        @Override
        public void changed(String gameId) {
            changed.add(gameId);
        }

        @Override
        public void everythingChanged() {
            everything.incrementAndGet();
        }

        @Override
        public void watching() {
            watching.incrementAndGet();
        }
    };

    @AfterEach
    void close() throws InterruptedException {
        if (watcher != null) {
            watcher.close();
        }
        if (thread != null) {
            thread.join(BUDGET.toMillis());
            assertThat(thread.isAlive()).as("loop ends when closed").isFalse();
        }
    }

    private void start(Runnable loop) {
        thread = new Thread(loop, "test-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Test
    void registersTheTreeAndReportsTheGameOfADeepChange() throws IOException {
        write(games.resolve("g/a/b/old.bin"), 1);
        Files.createDirectories(games.resolve(".hidden/inner"));
        watcher = new LibraryWatcher(games, sink);
        start(watcher::run);
        await(BUDGET, watcher::ready);

        assertThat(watching.get()).isEqualTo(1);
        assertThat(watcher.watchedDirectories()).containsExactlyInAnyOrder(
                games, games.resolve("g"), games.resolve("g/a"), games.resolve("g/a/b"));

        write(games.resolve("g/a/b/new.bin"), 1);
        await(BUDGET, () -> changed.contains("g"));

        Files.writeString(games.resolve(".hidden/inner/x"), "1");
        Files.createDirectories(games.resolve(".other"));
        write(games.resolve("h/c/d/e.bin"), 1);
        await(BUDGET, () -> watcher.watchedDirectories().contains(games.resolve("h/c/d")));
        assertThat(changed).doesNotContain(".hidden", ".other").contains("h");
    }

    @Test
    void overflowRegistersWhatWasMissedAndAsksForAFullRescan() throws IOException {
        watcher = new LibraryWatcher(games, sink); // nothing registered yet
        write(games.resolve("g/missed/deep/file.bin"), 1);

        watcher.overflow();

        assertThat(everything.get()).isEqualTo(1);
        assertThat(watcher.watchedDirectories()).contains(games, games.resolve("g/missed/deep"));
        start(watcher::processEvents); // the loop alone, without the initial registration
        write(games.resolve("g/missed/deep/more.bin"), 1);
        await(BUDGET, () -> changed.contains("g"));
    }

    @Test
    void symbolicLinksAreNotFollowed(@TempDir Path elsewhere) throws IOException {
        Files.createDirectories(games.resolve("g"));
        Files.createDirectories(elsewhere.resolve("outside"));
        Files.createSymbolicLink(games.resolve("g/link"), elsewhere);
        watcher = new LibraryWatcher(games, sink);

        watcher.overflow();

        assertThat(watcher.watchedDirectories()).containsExactlyInAnyOrder(games, games.resolve("g"));
    }
}
