package io.lanspread.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameNotFoundException;

class GameLibraryTest {

    @TempDir
    Path games;

    @TempDir
    Path state;

    private final List<GameLibrary> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(GameLibrary::deactivate);
    }

    private GameLibrary library(Path dir, long intervalSeconds) {
        return library(Map.of("games_dir", dir.toString(), "rescan_interval_seconds", intervalSeconds));
    }

    private GameLibrary library(Map<String, ?> config) {
        GameLibrary library = new GameLibrary(config(state, config));
        started.add(library);
        await(library::settled);
        return library;
    }

    /** A test configuration: the state under {@code state}, no serve quiet period, unless given. */
    static GameLibrary.Config config(Path state, Map<String, ?> values) {
        Map<String, Object> merged = new HashMap<>(Map.of("state_dir", state.toString(), "serve_quiet_seconds", 0.0));
        merged.putAll(values);
        return Configs.of(GameLibrary.Config.class, merged);
    }

    /** Rescans and waits until every new or changed game is hashed and listed. */
    static void rescanAndSettle(GameLibrary library) {
        library.rescan();
        await(library::settled);
    }

    /** Only the periodic scan can see changes: the watcher is off. */
    private GameLibrary periodicOnly(Path dir, long intervalSeconds) {
        return library(Map.of("games_dir", dir.toString(), "rescan_interval_seconds", intervalSeconds,
                "watch_enabled", false));
    }

    private GameLibrary library() {
        return library(games, 0);
    }

    static Path game(Path dir, String id, String versionIni) throws IOException {
        Path root = Files.createDirectories(dir.resolve(id));
        Files.writeString(root.resolve("version.ini"), versionIni);
        return root;
    }

    static void write(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
    }

    @Test
    void configDefaultsMatchTheDocumentedPid() {
        GameLibrary.Config defaults = Configs.of(GameLibrary.Config.class, Map.of());
        assertThat(defaults.games_dir()).isEqualTo("games");
        assertThat(defaults.rescan_interval_seconds()).isEqualTo(30);
        assertThat(defaults.watch_enabled()).isTrue();
        assertThat(defaults.watch_quiet_millis()).isBetween(300L, 500L);
        assertThat(defaults.serve_quiet_seconds()).isEqualTo(3.0);
        assertThat(defaults.state_dir()).isEqualTo(".lanspread");
        assertThat(GameLibrary.PID).isEqualTo("io.lanspread.catalog");
    }

    @Test
    void createsAMissingGameDirectory() {
        Path missing = games.resolve("not/yet/there");
        GameLibrary library = library(missing, 0);
        assertThat(missing).isDirectory();
        assertThat(library.gameDirectory()).isEqualTo(missing);
        assertThat(library.games()).isEmpty();
    }

    @Test
    void listsGamesSortedByIdWithNameVersionAndSize() throws IOException {
        String ini = "[game]\nversion=1.09\nname=Quake\n";
        Path quake = game(games, "quake", ini);
        write(quake.resolve("id1/pak0.pak"), 1000);
        write(quake.resolve("id1/pak1.pak"), 24);
        game(games, "doom", "1.9");

        List<Game> listed = library().games();

        assertThat(listed).containsExactly(
                new Game("doom", "doom", "1.9", 3),
                new Game("quake", "Quake", "1.09", ini.length() + 1000 + 24));
    }

    @Test
    void folderWithoutVersionIniIsNotAGame() throws IOException {
        write(games.resolve("half-copied/data.bin"), 10);
        Files.createDirectories(games.resolve("empty"));
        Files.createDirectories(games.resolve("ini-is-a-folder/version.ini"));
        write(games.resolve("nested/deeper/version.ini"), 3);
        Files.writeString(games.resolve("version.ini"), "1"); // a file in games.dir, not a folder
        game(games, "real", "1");

        assertThat(library().games()).extracting(Game::id).containsExactly("real");
    }

    @Test
    void hiddenFoldersAreIgnored() throws IOException {
        game(games, ".partial", "1.0");
        game(games, "visible", "1.0");

        GameLibrary library = library();
        assertThat(library.games()).extracting(Game::id).containsExactly("visible");
        assertThat(library.game(".partial")).isEmpty();
    }

    @Test
    void emptyOrVersionlessVersionIniIsNotListed() throws IOException {
        game(games, "empty", "");
        game(games, "comments", "; nothing\n");
        game(games, "ok", "2");

        assertThat(library().games()).extracting(Game::id).containsExactly("ok");
    }

    @Test
    void symlinkedVersionIniOrGameFolderIsNotAGame(@TempDir Path elsewhere) throws IOException {
        Path realIni = Files.writeString(elsewhere.resolve("version.ini"), "1");
        Files.createDirectories(games.resolve("linked-ini"));
        Files.createSymbolicLink(games.resolve("linked-ini/version.ini"), realIni);
        Files.createSymbolicLink(games.resolve("linked-folder"), elsewhere);

        assertThat(library().games()).isEmpty();
    }

    @Test
    void filesListsTheWholeTreeExactly() throws IOException {
        Path root = game(games, "ut", "version=436\n"); // 12 bytes
        write(root.resolve("System/UnrealTournament.ini"), 5);
        write(root.resolve("System/deep/er/file.u"), 7);
        write(root.resolve("Maps/empty.unr"), 0);
        Files.createDirectories(root.resolve("Logs"));
        write(root.resolve(".hidden-inside"), 2);

        GameLibrary library = library();

        assertThat(library.files("ut")).containsExactly(
                new GameFile(".hidden-inside", 2, false),
                new GameFile("Logs", 0, true),
                new GameFile("Maps", 0, true),
                new GameFile("Maps/empty.unr", 0, false),
                new GameFile("System", 0, true),
                new GameFile("System/UnrealTournament.ini", 5, false),
                new GameFile("System/deep", 0, true),
                new GameFile("System/deep/er", 0, true),
                new GameFile("System/deep/er/file.u", 7, false),
                new GameFile("version.ini", 12, false));
        assertThat(library.game("ut").orElseThrow().size()).isEqualTo(12 + 5 + 7 + 0 + 2);
    }

    @Test
    void symlinksAreNeitherListedNorCounted(@TempDir Path elsewhere) throws IOException {
        Path root = game(games, "g", "1"); // 1 byte
        write(elsewhere.resolve("secret"), 1000);
        write(elsewhere.resolve("dir/inner"), 1000);
        Files.createSymbolicLink(root.resolve("file-link"), elsewhere.resolve("secret"));
        Files.createSymbolicLink(root.resolve("dir-link"), elsewhere.resolve("dir"));

        GameLibrary library = library();

        assertThat(library.files("g")).containsExactly(new GameFile("version.ini", 1, false));
        assertThat(library.game("g").orElseThrow().size()).isEqualTo(1);
    }

    @Test
    void filesOfAnUnknownGameFails() throws IOException {
        game(games, "known", "1");
        Files.createDirectories(games.resolve("no-ini"));
        GameLibrary library = library();

        assertThatThrownBy(() -> library.files("unknown")).isInstanceOf(GameNotFoundException.class);
        assertThatThrownBy(() -> library.files("no-ini")).isInstanceOf(GameNotFoundException.class);
        assertThatThrownBy(() -> library.files("../known")).isInstanceOf(GameNotFoundException.class);
    }

    @Test
    void revisionGrowsOnAddRemoveAndVersionChangeOnly() throws IOException {
        GameLibrary library = library();
        long empty = library.revision();

        rescanAndSettle(library);
        assertThat(library.revision()).as("unchanged rescan").isEqualTo(empty);

        Path doom = game(games, "doom", "1.9");
        rescanAndSettle(library);
        long added = library.revision();
        assertThat(added).isGreaterThan(empty);

        rescanAndSettle(library);
        assertThat(library.revision()).as("unchanged rescan").isEqualTo(added);

        Files.writeString(doom.resolve("version.ini"), "2.0");
        rescanAndSettle(library);
        long changed = library.revision();
        assertThat(changed).isGreaterThan(added);
        assertThat(library.game("doom").orElseThrow().version()).isEqualTo("2.0");

        write(doom.resolve("doom2.wad"), 100);
        rescanAndSettle(library);
        long grown = library.revision();
        assertThat(grown).as("size change").isGreaterThan(changed);

        Files.writeString(doom.resolve("version.ini"), "version=2.0\nname=DOOM\n");
        rescanAndSettle(library);
        long renamed = library.revision();
        assertThat(renamed).as("name change").isGreaterThan(grown);

        Files.delete(doom.resolve("version.ini"));
        rescanAndSettle(library);
        assertThat(library.revision()).isGreaterThan(renamed);
        assertThat(library.games()).isEmpty();
    }

    @Test
    void revisionStartsFromTheClockSoItGrowsAcrossRestarts() {
        long before = System.currentTimeMillis();
        assertThat(library().revision()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void periodicScanPicksUpNewGames() throws IOException {
        GameLibrary library = periodicOnly(games, 1);
        long revision = library.revision();

        game(games, "late", "1");

        await(() -> library.game("late").isPresent());
        assertThat(library.revision()).isGreaterThan(revision);
    }

    @Test
    void periodicScanUsesTheCacheButRescanSeesDeepChanges() throws IOException {
        Path root = game(games, "g", "1");
        Path ini = root.resolve("version.ini");
        FileTime fixed = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
        Files.setLastModifiedTime(ini, fixed);
        Files.createDirectories(root.resolve("sub"));
        Files.setLastModifiedTime(root, fixed);
        LibraryScanner scanner = new LibraryScanner();
        assertThat(scanner.scan(games, Duration.ofHours(1))).extracting(g -> g.game().size()).containsExactly(1L);

        write(root.resolve("sub/new.bin"), 50); // changes neither version.ini nor the game folder's mtime

        assertThat(scanner.scan(games, Duration.ofHours(1))).extracting(g -> g.game().size()).containsExactly(1L);
        assertThat(scanner.scan(games, Duration.ZERO)).extracting(g -> g.game().size()).containsExactly(51L);
        Files.writeString(ini, "2");
        assertThat(scanner.scan(games, Duration.ofHours(1))).extracting(g -> g.game().version()).containsExactly("2");
    }

    @Test
    void changingTheGameDirectorySwitchesTheLibrary(@TempDir Path other) throws IOException {
        game(games, "first", "1");
        game(other, "second", "1");
        GameLibrary library = library();
        long revision = library.revision();
        assertThat(library.games()).extracting(Game::id).containsExactly("first");

        library.modified(config(state, Map.of("games_dir", other.toString(), "rescan_interval_seconds", 0L)));
        await(library::settled);

        assertThat(library.gameDirectory()).isEqualTo(other);
        assertThat(library.games()).extracting(Game::id).containsExactly("second");
        assertThat(library.revision()).isGreaterThan(revision);
        assertThat(library.resolve("second", "a.txt")).isEqualTo(other.resolve("second/a.txt"));
        rescanAndSettle(library);
        assertThat(library.games()).extracting(Game::id).containsExactly("second");
    }

    @Test
    void changingTheGameDirectoryAlsoSwitchesThePeriodicScan(@TempDir Path other) throws IOException {
        GameLibrary library = periodicOnly(games, 1);
        library.modified(config(state,
                Map.of("games_dir", other.toString(), "rescan_interval_seconds", 1L, "watch_enabled", false)));

        game(games, "old-dir-game", "1");
        game(other, "new-dir-game", "1");

        await(() -> library.game("new-dir-game").isPresent());
        assertThat(library.game("old-dir-game")).isEmpty();
    }

    @Test
    void gameDirectoryIsNormalized() {
        GameLibrary library = library(Path.of(games + "/x/../y"), 0);
        assertThat(library.gameDirectory()).isEqualTo(games.resolve("y"));
        assertThat(games.resolve("y")).isDirectory();
    }

    @Test
    void versionIniWithBomAndCrlfIsListed() throws IOException {
        Path root = Files.createDirectories(games.resolve("bom"));
        byte[] text = "\uFEFF[Game]\r\nName=Bommy\r\nVersion=3.1\r\n".getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve("version.ini"), text);

        assertThat(library().games()).containsExactly(new Game("bom", "Bommy", "3.1", text.length));
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
