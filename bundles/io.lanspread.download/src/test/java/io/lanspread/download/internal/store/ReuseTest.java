package io.lanspread.download.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.GameManifest;

class ReuseTest {
    @TempDir
    Path root;
    StoreFixture fx;
    Map<String, byte[]> oldFiles;
    Path installed;

    @BeforeEach
    void setUp() throws IOException {
        fx = new StoreFixture(root);
        oldFiles = StoreFixture.gameFiles("1.0", 7);
        installed = fx.installByHand("quake", oldFiles);
    }

    private LocalCopy installedCopy(FileStoreFactory factory) {
        return factory.installed("quake").orElseThrow();
    }

    @Test
    void identicalFilesAreHardLinkedAndChangedFilesReuseTheirMatchingChunks() throws IOException {
        Map<String, byte[]> newFiles = StoreFixture.gameFiles("1.1", 7);
        byte[] big = newFiles.get("data/big.bin").clone();
        big[2 * StoreFixture.CHUNK + 5] ^= 1; // one changed chunk in the big file
        newFiles.put("data/big.bin", big);
        newFiles.put("data/moved.bin", oldFiles.get("data/small.bin")); // same bytes, another path
        GameManifest manifest = fx.remoteGame("quake", "1.1", newFiles);
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);

        long reused = store.reuse(List.of(installedCopy(factory)), () -> false);

        Path staging = factory.stagingFolder(store);
        assertThat(Files.isSameFile(staging.resolve("data/small.bin"), installed.resolve("data/small.bin"))).isTrue();
        assertThat(Files.isSameFile(staging.resolve("data/big.bin"), installed.resolve("data/big.bin"))).isFalse();
        BitSet missing = new BitSet();
        missing.set(0, store.layout().chunkCount());
        missing.andNot(store.done());
        // only the changed chunk of big.bin and the new version.ini are left to fetch
        assertThat(missing.stream().mapToObj(i -> store.layout().chunk(i)))
                .extracting(Chunk::path, Chunk::offset)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("data/big.bin", 2L * StoreFixture.CHUNK),
                        org.assertj.core.groups.Tuple.tuple("version.ini", 0L));
        long expected = manifest.totalSize() - StoreFixture.CHUNK - "1.1".length();
        assertThat(reused).isEqualTo(expected);
        assertThat(store.reusedBytes()).isEqualTo(expected);
        assertThat(staging.resolve("data/moved.bin")).hasBinaryContent(oldFiles.get("data/small.bin"));

        fx.fetchRest(store);
        assertThat(staging.resolve("data/big.bin")).hasBinaryContent(big);
        // the installed copy was never written into
        assertThat(installed.resolve("data/big.bin")).hasBinaryContent(oldFiles.get("data/big.bin"));
        assertThat(installed.resolve("data/small.bin")).hasBinaryContent(oldFiles.get("data/small.bin"));
    }

    @Test
    void aLinkedFileIsNeverWrittenIntoAgain() throws IOException {
        GameManifest manifest = fx.remoteGame("quake", "1.1", StoreFixture.gameFiles("1.1", 7));
        FileStoreFactory factory = fx.factory();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        store.reuse(List.of(installedCopy(factory)), () -> false);
        byte[] before = Files.readAllBytes(installed.resolve("data/big.bin"));

        // a late duplicate (endgame) of a chunk that the link already provides
        Chunk chunk = store.layout().chunks().stream().filter(c -> c.path().equals("data/big.bin")).findFirst().orElseThrow();
        store.write(chunk, java.nio.ByteBuffer.wrap(new byte[chunk.length()]));

        assertThat(installed.resolve("data/big.bin")).hasBinaryContent(before);
    }

    @Test
    void aCopyWhoseFileChangedSinceItsManifestIsNotTrusted() throws IOException {
        GameManifest manifest = fx.remoteGame("quake", "1.1", StoreFixture.gameFiles("1.1", 7));
        FileStoreFactory factory = fx.factory();
        LocalCopy copy = installedCopy(factory);
        byte[] changed = oldFiles.get("data/big.bin").clone();
        changed[0] ^= 1; // the player edits a file after the library hashed it
        Files.write(installed.resolve("data/big.bin"), changed);
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);

        store.reuse(List.of(copy), () -> false);

        Path staged = factory.stagingFolder(store).resolve("data/big.bin");
        assertThat(Files.isSameFile(staged, installed.resolve("data/big.bin"))).isFalse();
        assertThat(store.done().get(0)).isFalse(); // version.ini differs anyway
        int firstBig = store.layout().chunks().stream().filter(c -> c.path().equals("data/big.bin")).findFirst()
                .orElseThrow().index();
        assertThat(store.done().get(firstBig)).isFalse();
        assertThat(store.done().get(firstBig + 1)).isTrue(); // the unchanged chunks are still copied
        fx.fetchRest(store);
        assertThat(staged).hasBinaryContent(StoreFixture.gameFiles("1.1", 7).get("data/big.bin"));
    }

    @Test
    void anEarlierVersionsStagingFolderIsACopyToo() throws IOException {
        GameManifest first = fx.remoteGame("quake", "2.0", StoreFixture.gameFiles("2.0", 50));
        FileStoreFactory factory = fx.factory();
        DownloadStore old = factory.open("d1", StoreFixture.request("quake"), first);
        fx.fetchRest(old);
        GameManifest second = fx.remoteGame("quake", "2.1", StoreFixture.gameFiles("2.1", 50));

        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), second);
        store.reuse(List.of(new LocalCopy(factory.stagingFolder(old), old.manifest(), old.done())), () -> false);
        old.discard();

        assertThat(factory.stagingFolder(old)).doesNotExist();
        assertThat(store.done().cardinality()).isEqualTo(second.totalChunks() - 1); // all but version.ini
        store.close();
        assertThat(fx.factory().recover()).singleElement()
                .satisfies(r -> assertThat(r.store().orElseThrow().done().cardinality()).isEqualTo(second.totalChunks() - 1));
    }

    @Test
    void discardingTheStoreLeftForANewManifestOfTheSameVersionKeepsTheNewStaging() throws IOException {
        GameManifest first = fx.remoteGame("quake", "2.0", StoreFixture.gameFiles("2.0", 50));
        FileStoreFactory factory = fx.factory();
        DownloadStore old = factory.open("d1", StoreFixture.request("quake"), first);
        fx.fetchRest(old);
        GameManifest second = fx.remoteGame("quake", "2.0", StoreFixture.gameFiles("2.0", 51));

        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), second);
        store.reuse(List.of(new LocalCopy(factory.stagingFolder(old), old.manifest(), old.done())), () -> false);
        old.discard();

        assertThat(factory.stagingFolder(store)).isDirectory();
        fx.fetchRest(store);
        store.install();
        assertThat(fx.games.resolve("quake/data/big.bin")).hasBinaryContent(StoreFixture.gameFiles("2.0", 51).get("data/big.bin"));
    }
}
