package io.lanspread.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lanspread.api.game.UnsafePathException;

class ResolveTest {

    @TempDir
    Path games;

    @TempDir
    Path outside;

    @TempDir
    Path state;

    private GameLibrary library;

    @BeforeEach
    void start() throws IOException {
        GameLibraryTest.game(games, "g", "1");
        library = new GameLibrary(GameLibraryTest.config(state, Map.of("games_dir", games.toString(), "rescan_interval_seconds", 0L)));
    }

    @AfterEach
    void stop() {
        library.deactivate();
    }

    @Test
    void acceptsPlainAndNestedPathsWhetherOrNotTheyExist() {
        assertThat(library.resolve("g", "version.ini")).isEqualTo(games.resolve("g/version.ini"));
        assertThat(library.resolve("g", "a/b/c.dat")).isEqualTo(games.resolve("g/a/b/c.dat"));
        assertThat(library.resolve("g", ".hidden/..x/x..")).isEqualTo(games.resolve("g/.hidden/..x/x.."));
        assertThat(library.resolve("g", "Chapter 1: The End.txt")).isEqualTo(games.resolve("g/Chapter 1: The End.txt"));
        assertThat(library.resolve("new-game", "data/file.bin")).isEqualTo(games.resolve("new-game/data/file.bin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/abs", "a\\b", "..\\x", "a\0b", "c:", "C:games", "a:b"})
    void rejectsUnsafeGameIds(String gameId) {
        assertThatThrownBy(() -> library.resolve(gameId, "file")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void rejectsNullIdAndPath() {
        assertThatThrownBy(() -> library.resolve(null, "file")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> library.resolve("g", null)).isInstanceOf(UnsafePathException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "/", "a\\b", "..\\..\\x", "a\0b", "..", ".", "../g/x", "a/../b",
            "a/..", "./a", "a/./b", "a//b", "a/", "//x", "C:", "C:/Windows", "c:x", "../../etc/passwd"})
    void rejectsUnsafePaths(String path) {
        assertThatThrownBy(() -> library.resolve("g", path)).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void rejectsALinkInsideTheGameThatLeadsOutside() throws IOException {
        Files.createSymbolicLink(games.resolve("g/escape"), outside);
        Files.writeString(outside.resolve("secret"), "x");

        assertThatThrownBy(() -> library.resolve("g", "escape/secret")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> library.resolve("g", "escape/not-yet/new-file")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> library.resolve("g", "escape")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void rejectsAFileLinkThatLeadsOutside() throws IOException {
        Path secret = Files.writeString(outside.resolve("secret"), "x");
        Files.createSymbolicLink(games.resolve("g/passwd"), secret);

        assertThatThrownBy(() -> library.resolve("g", "passwd")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void rejectsADanglingLinkThatAWriteWouldFollow() throws IOException {
        Files.createSymbolicLink(games.resolve("g/dangling"), outside.resolve("created-through-link"));

        assertThatThrownBy(() -> library.resolve("g", "dangling")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void rejectsAGameFolderThatIsALinkOutside() throws IOException {
        Files.createSymbolicLink(games.resolve("linked"), outside);

        assertThatThrownBy(() -> library.resolve("linked", "file")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void acceptsALinkThatStaysInsideTheGame() throws IOException {
        Files.createDirectories(games.resolve("g/real"));
        Files.createSymbolicLink(games.resolve("g/alias"), games.resolve("g/real"));

        assertThat(library.resolve("g", "alias/file")).isEqualTo(games.resolve("g/alias/file"));
    }

    @Test
    void worksWhenTheGameDirectoryItselfIsReachedThroughALink(@TempDir Path base) throws IOException {
        Path link = Files.createSymbolicLink(base.resolve("games-link"), games);
        GameLibrary linked = new GameLibrary(GameLibraryTest.config(state, Map.of("games_dir", link.toString(), "rescan_interval_seconds", 0L)));
        try {
            assertThat(linked.resolve("g", "version.ini")).isEqualTo(link.resolve("g/version.ini"));
            GameLibraryTest.await(() -> linked.games().size() == 1);
        } finally {
            linked.deactivate();
        }
    }
}
