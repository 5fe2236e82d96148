package io.lanspread.catalog.internal;

import static io.lanspread.catalog.internal.GameLibraryTest.await;
import static io.lanspread.catalog.internal.GameLibraryTest.game;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/** Manifests: their hashes, the cache in the state directory, and isUnchanged. */
class GameLibraryManifestTest {

    private static final int CHUNK = GameManifest.CHUNK_SIZE;

    @TempDir
    Path games;

    @TempDir
    Path state;

    private final List<GameLibrary> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(GameLibrary::deactivate);
    }

    private GameLibrary start(Map<String, ?> extra) {
        java.util.HashMap<String, Object> config = new java.util.HashMap<>(
                Map.of("games_dir", games.toString(), "rescan_interval_seconds", 0L, "watch_enabled", false));
        config.putAll(extra);
        GameLibrary library = new GameLibrary(GameLibraryTest.config(state, config));
        started.add(library);
        await(library::settled);
        return library;
    }

    private GameLibrary start() {
        return start(Map.of());
    }

    private void restart(GameLibrary library) {
        library.deactivate();
        started.remove(library);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Sizes around the chunk and the 1 MiB read buffer, so every boundary case is hashed. */
    private Map<String, byte[]> sampleGame() throws IOException {
        Path root = game(games, "g", "1.0");
        Map<String, byte[]> contents = new java.util.TreeMap<>();
        contents.put("empty.bin", new byte[0]);
        contents.put("one.bin", random(1, 1));
        contents.put("data/exact-chunk.bin", random(CHUNK, 2));
        contents.put("data/chunk-plus-one.bin", random(CHUNK + 1, 3));
        contents.put("data/big.bin", random(5 * CHUNK / 2 + 17, 4));
        for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
            Path file = root.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, entry.getValue());
        }
        Files.createDirectories(root.resolve("saves/empty-dir"));
        contents.put("version.ini", "1.0".getBytes());
        return contents;
    }

    @Test
    void manifestHashesEqualAnIndependentComputation() throws Exception {
        Map<String, byte[]> contents = sampleGame();
        GameLibrary library = start();

        GameManifest manifest = library.manifest("g").orElseThrow();

        assertThat(manifest.gameId()).isEqualTo("g");
        assertThat(manifest.version()).isEqualTo("1.0");
        assertThat(manifest.chunkSize()).isEqualTo(CHUNK);
        assertThat(manifest.tree()).isEqualTo(library.files("g"));
        assertThat(manifest.files()).extracting(FileManifest::path).isSorted();
        assertThat(manifest.file("saves/empty-dir").orElseThrow().directory()).isTrue();
        for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
            FileManifest file = manifest.file(entry.getKey()).orElseThrow();
            byte[] bytes = entry.getValue();
            assertThat(file.size()).isEqualTo(bytes.length);
            assertThat(file.sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
            int chunks = (bytes.length + CHUNK - 1) / CHUNK;
            assertThat(file.chunkCount()).as(entry.getKey()).isEqualTo(chunks);
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = Arrays.copyOfRange(bytes, i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK));
                assertThat(file.chunkHash(i)).as(entry.getKey() + " chunk " + i)
                        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(chunk));
            }
        }
    }

    @Test
    void aSecondActivationOverAnUnchangedLibraryHashesNothingAndListsAtOnce() throws IOException {
        sampleGame();
        GameLibrary first = start();
        GameManifest hashed = first.manifest("g").orElseThrow();
        assertThat(first.hashedBytes()).isEqualTo(hashed.totalSize());
        restart(first);

        // a long quiet period: only the cache's word that this exact tree was listed can list it now
        GameLibrary second = start(Map.of("serve_quiet_seconds", 60.0));

        assertThat(second.manifest("g")).contains(hashed);
        assertThat(second.hashedBytes()).isZero();
    }

    @Test
    void anAdoptedManifestIsTakenInsteadOfReadingTheFilesAgain(@TempDir Path other, @TempDir Path otherState)
            throws IOException {
        sampleGame();
        GameLibrary first = start();
        GameManifest verified = first.manifest("g").orElseThrow();
        restart(first);
        // the same files arrive in another library, as a download installs them: staged, then renamed
        Path target = other.resolve(".lanspread-tmp/g@1.0");
        try (var paths = Files.walk(games.resolve("g"))) {
            for (Path from : paths.sorted().toList()) {
                Path to = target.resolve(games.resolve("g").relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        java.util.HashMap<String, Object> config = new java.util.HashMap<>(
                Map.of("games_dir", other.toString(), "rescan_interval_seconds", 0L, "watch_enabled", false));
        GameLibrary second = new GameLibrary(GameLibraryTest.config(otherState, config));
        started.add(second);
        await(second::settled);
        assertThat(second.games()).isEmpty();

        Files.writeString(target.resolve("data/big.bin"), "changed before the adoption: not taken");
        GameManifest claimed = verified;
        second.adopt(claimed, target);
        Files.move(target, other.resolve("g"));
        second.rescan();
        await(() -> second.manifest("g").isPresent());

        GameManifest listed = second.manifest("g").orElseThrow();
        assertThat(listed.files()).filteredOn(f -> !f.path().equals("data/big.bin"))
                .containsExactlyElementsOf(verified.files().stream().filter(f -> !f.path().equals("data/big.bin")).toList());
        long changedSize = Files.size(other.resolve("g/data/big.bin"));
        assertThat(listed.file("data/big.bin").orElseThrow().size()).isEqualTo(changedSize);
        assertThat(second.hashedBytes()).as("only the file whose size did not match is read").isEqualTo(changedSize);
    }

    @Test
    void aTouchedFileIsRehashedAndOnlyThatFile() throws IOException {
        sampleGame();
        restart(start());
        Path touched = games.resolve("g/data/chunk-plus-one.bin");
        Files.setLastModifiedTime(touched, FileTime.fromMillis(Files.getLastModifiedTime(touched).toMillis() + 5_000));

        GameLibrary second = start();

        assertThat(second.hashedBytes()).isEqualTo(CHUNK + 1);
        assertThat(second.manifest("g")).isPresent();
    }

    @Test
    void aCorruptCacheFileIsIgnoredAndRewritten() throws IOException {
        sampleGame();
        GameLibrary first = start();
        GameManifest hashed = first.manifest("g").orElseThrow();
        restart(first);
        List<Path> cacheFiles = cacheFiles();
        assertThat(cacheFiles).hasSize(1);
        byte[] bytes = Files.readAllBytes(cacheFiles.get(0));
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(cacheFiles.get(0), bytes);

        GameLibrary second = start();
        assertThat(second.hashedBytes()).isEqualTo(hashed.totalSize());
        assertThat(second.manifest("g")).contains(hashed);
        restart(second);

        Files.write(cacheFiles.get(0), Arrays.copyOf(Files.readAllBytes(cacheFiles.get(0)), 20)); // truncated
        GameLibrary third = start();
        assertThat(third.manifest("g")).contains(hashed);
        assertThat(third.hashedBytes()).isEqualTo(hashed.totalSize());
        restart(third);

        assertThat(start().hashedBytes()).as("the rewritten cache is used again").isZero();
    }

    @Test
    void foreignFilesAndCachesOfVanishedGamesArePruned() throws IOException {
        sampleGame();
        Path other = game(games, "other", "2");
        restart(start());
        assertThat(cacheFiles()).hasSize(2);
        Path foreign = Files.write(state.resolve("manifests/0000.manifest"), "not a manifest".getBytes());
        Path leftover = Files.write(state.resolve("manifests/abc.manifest.tmp"), new byte[10]);
        Files.setLastModifiedTime(leftover, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000)); // a crash's
        GameLibraryWatchTest.deleteTree(other);

        start();

        await(() -> cacheFiles().size() == 1);
        assertThat(foreign).doesNotExist();
        assertThat(leftover).doesNotExist();
    }

    @Test
    void aCacheEntryOfAnotherGameIsNotTrusted() throws IOException {
        sampleGame();
        restart(start());
        Path ours = ManifestFile.pathFor(state.resolve("manifests"), "g");
        // the same bytes under another game's name: its header names "g", so "h" must not use it
        game(games, "h", "1.0");
        Files.copy(ours, ManifestFile.pathFor(state.resolve("manifests"), "h"));

        GameLibrary library = start();

        assertThat(library.hashedBytes()).isEqualTo("1.0".length());
        assertThat(library.manifest("h").orElseThrow().files()).hasSize(1);
    }

    @Test
    void isUnchangedFollowsTheFileAndManifestExistsOnlyForListedGames() throws IOException {
        sampleGame();
        Files.createDirectories(games.resolve("no-ini"));
        Files.write(games.resolve("no-ini/data.bin"), new byte[10]);
        GameLibrary library = start();

        assertThat(library.isUnchanged("g", "data/big.bin")).isTrue();
        assertThat(library.isUnchanged("g", "missing.bin")).isFalse();
        assertThat(library.isUnchanged("nope", "data/big.bin")).isFalse();
        assertThat(library.isUnchanged("no-ini", "data.bin")).isFalse();
        assertThat(library.manifest("no-ini")).isEmpty();
        assertThat(library.manifest(null)).isEmpty();

        Files.write(games.resolve("g/data/big.bin"), new byte[3], java.nio.file.StandardOpenOption.APPEND);
        assertThat(library.isUnchanged("g", "data/big.bin")).isFalse();
        assertThat(library.isUnchanged("g", "one.bin")).isTrue();
    }

    private List<Path> cacheFiles() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(state.resolve("manifests"), "*.manifest")) {
            dir.forEach(files::add);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return files;
    }
}
