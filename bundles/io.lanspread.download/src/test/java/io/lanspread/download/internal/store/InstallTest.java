package io.lanspread.download.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.GameManifest;

class InstallTest {
    @TempDir
    Path root;
    StoreFixture fx;
    Path gameDir;

    @BeforeEach
    void setUp() throws IOException {
        fx = new StoreFixture(root);
        gameDir = fx.games.resolve("quake");
    }

    private void download(FileStoreFactory factory, String id, GameManifest manifest) throws IOException {
        DownloadStore store = factory.open(id, StoreFixture.request("quake"), manifest);
        factory.installed("quake").ifPresent(copy -> {
            try {
                store.reuse(List.of(copy), () -> false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        fx.fetchRest(store);
        store.install();
    }

    @Test
    void aFirstInstallCreatesFoldersAndEmptyFilesAndRecordsTheManifest() throws IOException {
        GameManifest manifest = fx.remoteGame("quake", "1.0", StoreFixture.gameFiles("1.0", 7));
        FileStoreFactory factory = fx.factory();

        download(factory, "d1", manifest);

        assertThat(TestGames.manifest(gameDir, "quake", "1.0", StoreFixture.CHUNK).files()).isEqualTo(manifest.files());
        assertThat(gameDir.resolve("maps")).isDirectory();
        assertThat(gameDir.resolve("empty.txt")).isEmptyFile();
        assertThat(gameDir.resolve(StagingFolder.PART_NAME)).doesNotExist();
        assertThat(fx.state.resolve("installed/quake.manifest")).exists();
        assertThat(fx.state.resolve("downloads/d1")).doesNotExist();
        assertThat(TempFolders.root(fx.games)).isEmptyDirectory();
        assertThat(factory.installed("quake")).hasValueSatisfying(copy -> {
            assertThat(copy.folder()).isEqualTo(gameDir);
            assertThat(copy.valid()).isNull();
        });
    }

    @Test
    void aGameJustInstalledAndNotHashedYetIsReusedThroughTheInstallRecord() throws IOException {
        Map<String, byte[]> v1 = StoreFixture.gameFiles("1.0", 7);
        FileStoreFactory factory = fx.factory();
        download(factory, "d1", fx.remoteGame("quake", "1.0", v1));
        fx.library.hashing = true;

        assertThat(factory.installed("quake")).hasValueSatisfying(copy -> {
            assertThat(copy.folder()).isEqualTo(gameDir);
            assertThat(copy.manifest().version()).isEqualTo("1.0");
        });
        Map<String, byte[]> v2 = new java.util.TreeMap<>(v1);
        v2.put("version.ini", "2.0\n".getBytes());
        GameManifest next = fx.remoteGame("quake", "2.0", v2);
        DownloadStore store = factory.open("d2", StoreFixture.request("quake"), next);
        long reused = store.reuse(List.of(factory.installed("quake").orElseThrow()), () -> false);
        assertThat(reused).as("every file but version.ini reused").isEqualTo(next.totalSize() - "2.0\n".length());
    }

    @Test
    void anUpdateKeepsThePlayersFilesAndDropsFilesOnlyTheOldVersionHad() throws IOException {
        Map<String, byte[]> v1 = StoreFixture.gameFiles("1.0", 7);
        v1.put("old-only.dat", TestGames.bytes(3, 2000));
        FileStoreFactory factory = fx.factory();
        download(factory, "d1", fx.remoteGame("quake", "1.0", v1));
        Files.createDirectories(gameDir.resolve("saves"));
        Files.writeString(gameDir.resolve("saves/slot1.sav"), "level 3");
        Files.writeString(gameDir.resolve("player.cfg"), "fov 110");
        Path installedSmall = gameDir.resolve("data/small.bin");
        Object inodeBefore = Files.getAttribute(installedSmall, "unix:ino");

        Map<String, byte[]> v2 = StoreFixture.gameFiles("2.0", 7);
        v2.put("new.dat", TestGames.bytes(4, 1500));
        GameManifest manifest = fx.remoteGame("quake", "2.0", v2);
        List<String> events = new ArrayList<>();
        FileStoreFactory recording = fx.factory((from, to) -> {
            events.add(from.getFileName() + "->" + to.getFileName()
                    + (to.getFileName().toString().equals("version.ini") ? " staged=" + filesIn(from.getParent()) : ""));
            Installer.Mover.ATOMIC.move(from, to);
        });
        download(recording, "d2", manifest);

        assertThat(gameDir.resolve("version.ini")).hasContent("2.0");
        assertThat(gameDir.resolve("saves/slot1.sav")).hasContent("level 3");
        assertThat(gameDir.resolve("player.cfg")).hasContent("fov 110");
        assertThat(gameDir.resolve("old-only.dat")).doesNotExist();
        assertThat(gameDir.resolve("new.dat")).hasBinaryContent(v2.get("new.dat"));
        assertThat(Files.getAttribute(gameDir.resolve("data/small.bin"), "unix:ino")).isEqualTo(inodeBefore);
        // version.ini goes in when every other file is complete, then the two renames of the swap
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).startsWith(StagingFolder.PART_NAME + "->version.ini staged=")
                .contains("new.dat", "saves/slot1.sav", "player.cfg", "data/big.bin");
        assertThat(events.get(1)).isEqualTo("quake->quake@2.0@old");
        assertThat(events.get(2)).isEqualTo("quake@2.0->quake");
        assertThat(TempFolders.root(fx.games)).isEmptyDirectory();

        // the record now says 2.0: new.dat is the game's, so a 3.0 without it drops it and keeps the save
        download(fx.factory(), "d3", fx.remoteGame("quake", "3.0", StoreFixture.gameFiles("3.0", 7)));
        assertThat(gameDir.resolve("new.dat")).doesNotExist();
        assertThat(gameDir.resolve("saves/slot1.sav")).hasContent("level 3");
    }

    @Test
    void withoutARecordEveryFileOfTheInstalledCopyCountsAsTheGames() throws IOException {
        Map<String, byte[]> v1 = StoreFixture.gameFiles("1.0", 7);
        v1.put("old-only.dat", TestGames.bytes(3, 2000));
        fx.installByHand("quake", v1);

        download(fx.factory(), "d1", fx.remoteGame("quake", "2.0", StoreFixture.gameFiles("2.0", 7)));

        assertThat(gameDir.resolve("version.ini")).hasContent("2.0");
        assertThat(gameDir.resolve("old-only.dat")).doesNotExist();
    }

    @Test
    void theInstalledCopyIsIntactWhenTheSwapFailsMidway() throws IOException {
        Map<String, byte[]> v1 = StoreFixture.gameFiles("1.0", 7);
        fx.installByHand("quake", v1);
        Files.writeString(gameDir.resolve("save.sav"), "mine");
        GameManifest before = TestGames.manifest(gameDir, "quake", "1.0", StoreFixture.CHUNK);
        GameManifest manifest = fx.remoteGame("quake", "2.0", StoreFixture.gameFiles("2.0", 8));
        FileStoreFactory factory = fx.factory((from, to) -> {
            if (from.getFileName().toString().equals("quake@2.0")) {
                throw new IOException("simulated failure of the second rename");
            }
            Installer.Mover.ATOMIC.move(from, to);
        });
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        store.reuse(List.of(factory.installed("quake").orElseThrow()), () -> false);
        fx.fetchRest(store);

        assertThatThrownBy(store::install).isInstanceOf(IOException.class)
                .hasMessageContaining("the installed copy is left as it was");

        assertThat(TestGames.manifest(gameDir, "quake", "1.0", StoreFixture.CHUNK).files()).isEqualTo(before.files());
        assertThat(fx.state.resolve("downloads/d1/" + Journal.INSTALLING)).doesNotExist();
        store.discard();
        assertThat(TestGames.manifest(gameDir, "quake", "1.0", StoreFixture.CHUNK).files()).isEqualTo(before.files());
        assertThat(TempFolders.root(fx.games)).isEmptyDirectory();
    }

    @Test
    void aCrashAfterTheSwapFinishesTheInstallAtRecovery() throws IOException {
        GameManifest manifest = fx.remoteGame("quake", "1.0", StoreFixture.gameFiles("1.0", 7));
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        fx.fetchRest(store);
        Path staging = factory.stagingFolder(store);
        store.close();
        // the state a process killed between the swap and the journal's removal leaves behind
        Files.move(staging.resolve(StagingFolder.PART_NAME), staging.resolve("version.ini"));
        Files.move(staging, gameDir);
        Files.write(fx.state.resolve("downloads/d1/" + Journal.INSTALLING), new byte[0]);

        assertThat(fx.factory().recover()).isEmpty();

        assertThat(fx.state.resolve("downloads/d1")).doesNotExist();
        assertThat(fx.state.resolve("installed/quake.manifest")).exists();
        assertThat(gameDir.resolve("version.ini")).hasContent("1.0");
    }

    @Test
    void aCrashBeforeTheSwapIsStillADownload() throws IOException {
        GameManifest manifest = fx.remoteGame("quake", "1.0", StoreFixture.gameFiles("1.0", 7));
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        fx.fetchRest(store);
        Path staging = factory.stagingFolder(store);
        store.close();
        Files.move(staging.resolve(StagingFolder.PART_NAME), staging.resolve("version.ini"));
        Files.write(fx.state.resolve("downloads/d1/" + Journal.INSTALLING), new byte[0]);

        DownloadStore again = fx.factory().recover().get(0).store().orElseThrow();

        assertThat(again.done().cardinality()).isEqualTo(manifest.totalChunks());
        assertThat(staging.resolve("version.ini")).doesNotExist(); // not complete-looking before the install
        again.install();
        assertThat(gameDir.resolve("version.ini")).hasContent("1.0");
    }

    @Test
    void anInstalledFileEditedInPlaceDuringTheUpdateFailsTheInstallAndKeepsTheInstalledCopy() throws IOException {
        Map<String, byte[]> v1 = StoreFixture.gameFiles("1.0", 7);
        fx.installByHand("quake", v1);
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), fx.remoteGame("quake", "2.0",
                StoreFixture.gameFiles("2.0", 7)));
        store.reuse(List.of(factory.installed("quake").orElseThrow()), () -> false);
        fx.fetchRest(store);
        Path small = gameDir.resolve("data/small.bin");
        Files.write(small, "edited".getBytes(), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(small, java.nio.file.attribute.FileTime.fromMillis(1_000_000));

        assertThatThrownBy(store::install).isInstanceOf(IOException.class)
                .hasMessageStartingWith("data/small.bin of quake was changed in the installed copy");
        assertThat(gameDir.resolve("version.ini")).hasContent("1.0");
    }

    private static String filesIn(Path dir) {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList().toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
