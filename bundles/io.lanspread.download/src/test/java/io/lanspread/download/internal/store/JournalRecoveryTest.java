package io.lanspread.download.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.GameManifest;

class JournalRecoveryTest {
    @TempDir
    Path root;
    StoreFixture fx;
    GameManifest manifest;

    @BeforeEach
    void setUp() throws IOException {
        fx = new StoreFixture(root);
        manifest = fx.remoteGame("quake", "1.0", StoreFixture.gameFiles("1.0", 7));
    }

    private BitSet writeSome(DownloadStore store, int... indices) throws IOException {
        BitSet written = new BitSet();
        for (int i : indices) {
            Chunk chunk = store.layout().chunk(i);
            store.write(chunk, TestGames.chunkBytes(fx.remoteFolder(manifest), chunk));
            written.set(i);
        }
        store.commit();
        return written;
    }

    private StoreFactory.Recovered recoverOne() {
        List<StoreFactory.Recovered> recovered = fx.factory().recover();
        assertThat(recovered).hasSize(1);
        return recovered.get(0);
    }

    @Test
    void marksSurviveAReopenAndOnlyMarkedChunksCount() throws IOException {
        DownloadRequest request = new DownloadRequest("quake", "1.0", "peer-7");
        FileStoreFactory factory = fx.factory();
        factory.saveRequest("d1", request);
        DownloadStore store = factory.open("d1", request, manifest);
        BitSet written = writeSome(store, 0, 2, 5, 6);
        assertThat(store.done()).isEqualTo(written);
        store.close();

        StoreFactory.Recovered recovered = recoverOne();
        assertThat(recovered.downloadId()).isEqualTo("d1");
        assertThat(recovered.request()).isEqualTo(request);
        DownloadStore again = recovered.store().orElseThrow();
        assertThat(again.manifest().files()).isEqualTo(manifest.files());
        assertThat(again.done()).isEqualTo(written);
        assertThat(again.reusedBytes()).isZero();

        fx.fetchRest(again);
        assertThat(again.done().cardinality()).isEqualTo(manifest.totalChunks());
    }

    @Test
    void aMarkedChunkWhoseBytesWereDamagedIsFetchedAgain() throws IOException {
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        writeSome(store, 0, 1, 2);
        Path big = factory.stagingFolder(store).resolve("data/big.bin");
        store.close();
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), StoreFixture.CHUNK + 10); // inside chunk 1
        }

        BitSet done = recoverOne().store().orElseThrow().done();

        assertThat(done.stream().toArray()).containsExactly(0, 2);
        // the log was compacted: a second recovery gives the same answer without the bad mark
        assertThat(fx.factory().recover().get(0).store().orElseThrow().done().stream().toArray()).containsExactly(0, 2);
    }

    @Test
    void aTornOrZeroFilledLastRecordIsIgnored() throws IOException {
        DownloadStore store = fx.factory().open("d1", StoreFixture.request("quake"), manifest);
        BitSet written = writeSome(store, 3, 4);
        store.close();
        Path log = fx.state.resolve("downloads/d1/" + Journal.MARKS);
        Files.write(log, new byte[MarkLog.RECORD], StandardOpenOption.APPEND); // size grew, data never came
        Files.write(log, new byte[] { 0, 0, 0, 1, (byte) 0xff }, StandardOpenOption.APPEND); // torn mid-record

        assertThat(recoverOne().store().orElseThrow().done()).isEqualTo(written);
    }

    @Test
    void aRequestWithoutManifestIsRecoveredWithoutStore() throws IOException {
        fx.factory().saveRequest("d2", StoreFixture.request("quake"));

        StoreFactory.Recovered recovered = recoverOne();

        assertThat(recovered.request()).isEqualTo(StoreFixture.request("quake"));
        assertThat(recovered.store()).isEmpty();
    }

    @Test
    void leftoversWithoutJournalAreDeletedAndStagingWithJournalIsKept() throws IOException {
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        writeSome(store, 0);
        Path staging = factory.stagingFolder(store);
        store.close();
        Path tmp = TempFolders.root(fx.games);
        Path stray = Files.createDirectories(tmp.resolve("doom@2.0/sub"));
        Files.writeString(stray.resolve("f"), "x");
        Files.writeString(tmp.resolve("loose-file"), "x");
        Path parked = Files.createDirectories(tmp.resolve("hexen@1.1@old"));
        Files.writeString(parked.resolve("version.ini"), "1.0");
        Path parkedOfInstalled = Files.createDirectories(tmp.resolve("quake@0.9@old"));
        fx.installByHand("quake", StoreFixture.gameFiles("0.9", 1));

        recoverOne();

        assertThat(staging).isDirectory();
        assertThat(staging.resolve("data/big.bin")).exists();
        assertThat(tmp.resolve("doom@2.0")).doesNotExist();
        assertThat(tmp.resolve("loose-file")).doesNotExist();
        assertThat(parkedOfInstalled).doesNotExist(); // the swap had gone through: an old version
        // a copy parked mid-swap whose game folder is missing is put back
        assertThat(parked).doesNotExist();
        assertThat(fx.games.resolve("hexen/version.ini")).hasContent("1.0");
    }

    @Test
    void forgetAndDiscardDeleteStagingAndJournalButNeverTheInstalledCopy() throws IOException {
        Path installed = fx.installByHand("quake", StoreFixture.gameFiles("0.9", 1));
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        writeSome(store, 0);
        Path staging = factory.stagingFolder(store);
        store.close();

        FileStoreFactory restarted = fx.factory();
        restarted.recover();
        restarted.forget("d1");

        assertThat(staging).doesNotExist();
        assertThat(fx.state.resolve("downloads/d1")).doesNotExist();
        assertThat(installed.resolve("data/big.bin")).exists();
        assertThat(restarted.recover()).isEmpty();

        DownloadStore other = restarted.open("d3", StoreFixture.request("quake"), manifest);
        other.discard();
        assertThat(restarted.stagingFolder(other)).doesNotExist();
        assertThat(fx.state.resolve("downloads/d3")).doesNotExist();
        assertThat(installed.resolve("version.ini")).hasContent("0.9");
    }

    @Test
    void aFullDiskFailsTheWriteClearlyMarksNothingAndLeavesOtherDownloadsAlone() throws IOException {
        Path full = Paths.get("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full");
        GameManifest other = fx.remoteGame("doom", "2.0", StoreFixture.gameFiles("2.0", 9));
        FileStoreFactory factory = fx.factory();
        DownloadStore bystander = factory.open("d0", StoreFixture.request("doom"), other);
        fx.fetchRest(bystander);
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        Path big = factory.stagingFolder(store).resolve("data/big.bin");
        Files.delete(big);
        Files.createSymbolicLink(big, full); // every write into it fails as on a full disk
        Chunk chunk = store.layout().chunk(0);

        assertThatThrownBy(() -> store.write(chunk, TestGames.chunkBytes(fx.remoteFolder(manifest), chunk)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the disk is full: could not write data/big.bin of quake");
        assertThat(store.done().isEmpty()).isTrue();
        store.discard();

        assertThat(factory.stagingFolder(store)).doesNotExist();
        assertThat(full).exists();
        List<StoreFactory.Recovered> recovered = fx.factory().recover();
        assertThat(recovered).singleElement().satisfies(r -> {
            assertThat(r.downloadId()).isEqualTo("d0");
            assertThat(r.store().orElseThrow().done().cardinality()).isEqualTo(other.totalChunks());
        });
    }

    @Test
    void anotherDownloadOfTheSameVersionIsRefused() throws IOException {
        FileStoreFactory factory = fx.factory();
        factory.open("d1", StoreFixture.request("quake"), manifest);

        assertThatThrownBy(() -> factory.open("d2", StoreFixture.request("quake"), manifest))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already being downloaded");
    }

    @Test
    void chunksWrittenFromSeveralThreadsAtOnceAllLand() throws Exception {
        java.util.Map<String, byte[]> files = StoreFixture.gameFiles("1.0", 7);
        files.put("data/huge.bin", TestGames.bytes(11, 64 * StoreFixture.CHUNK + 1));
        GameManifest bigger = fx.remoteGame("quake", "1.0", files);
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), bigger);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Callable<Void>> writes = store.layout().chunks().stream()
                    .<java.util.concurrent.Callable<Void>>map(chunk -> () -> {
                        store.write(chunk, TestGames.chunkBytes(fx.remoteFolder(bigger), chunk));
                        return null;
                    }).toList();
            for (java.util.concurrent.Future<Void> f : pool.invokeAll(writes)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        store.close();

        DownloadStore again = fx.factory().recover().get(0).store().orElseThrow();
        assertThat(again.done().cardinality()).isEqualTo(bigger.totalChunks());
        assertThat(factory.stagingFolder(again).resolve("data/huge.bin")).hasBinaryContent(files.get("data/huge.bin"));
    }
}
