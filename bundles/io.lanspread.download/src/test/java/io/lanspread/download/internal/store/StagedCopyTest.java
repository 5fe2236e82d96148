package io.lanspread.download.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.GameManifest;
import io.lanspread.download.internal.share.StagedCopy;

/**
 * What a running download shares of its staging folder (swarming), on the real store: only chunks verified,
 * written and committed, each one hashed again as it is read back, so a chunk changed on disk is never served.
 */
class StagedCopyTest {
    @TempDir
    Path root;
    StoreFixture fx;
    GameManifest manifest;
    DownloadStore store;
    StagedCopy copy;
    final java.util.List<Integer> bad = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        fx = new StoreFixture(root);
        manifest = fx.remoteGame("quake", "1.0", StoreFixture.gameFiles("1.0", 7));
        store = fx.factoryCommittingOnRequest().open("d1", StoreFixture.request("quake"), manifest);
        copy = new StagedCopy(store, store.layout(), bad::add);
    }

    @Test
    void aCommittedChunkIsServedByteForByte() throws IOException {
        write(1);
        store.commit();
        Chunk chunk = store.layout().chunk(1);
        ByteBuffer target = ByteBuffer.allocateDirect(chunk.length());
        assertThat(copy.read(chunk.path(), chunk.offset(), chunk.length(), target)).isTrue();
        assertThat(target.position()).isEqualTo(chunk.length());
        target.flip();
        assertThat(target).isEqualTo(TestGames.chunkBytes(fx.remoteFolder(manifest), chunk));
        assertThat(copy.held()).isEqualTo(bits(1));
        assertThat(copy.revision()).isEqualTo(1);
        assertThat(copy.servedChunks()).isEqualTo(1);
        assertThat(copy.contentHash()).isEqualTo(manifest.contentHash());
    }

    @Test
    void aChunkNotWrittenOrNotCommittedYetIsRefused() throws IOException {
        write(2); // written, not yet durable and marked
        assertThat(read(2)).isFalse();
        assertThat(read(3)).isFalse(); // never written
        assertThat(copy.held().isEmpty()).isTrue();
        assertThat(copy.revision()).isZero();
        store.commit();
        assertThat(read(2)).isTrue();
        assertThat(copy.refusedChunks()).isEqualTo(2);
    }

    @Test
    void aStagedChunkCorruptedOnDiskIsNeverServed() throws IOException {
        write(0, 1);
        store.commit();
        assertThat(read(1)).isTrue();
        Chunk chunk = store.layout().chunk(1);
        Path staged = ((FileDownloadStore) store).stagingRoot().resolve(chunk.path());
        try (FileChannel file = FileChannel.open(staged, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {(byte) 0xAB, (byte) 0xCD}), chunk.offset() + 10);
        }
        // still marked done in the store: only the second hashing catches it
        assertThat(copy.held().get(1)).isTrue();
        assertThat(read(1)).isFalse();
        assertThat(read(0)).isTrue(); // its neighbour is intact
        assertThat(copy.refusedChunks()).isEqualTo(1);
        // taken back from the download: no longer done, reported, and the have-map's revision still grew
        assertThat(bad).containsExactly(1);
        assertThat(store.isDone(1)).isFalse();
        assertThat(copy.held()).isEqualTo(bits(0));
        assertThat(copy.revision()).isEqualTo(3);
    }

    @Test
    void aChunkTakenBackIsWrittenAgainAndOnlyThenInstalled() throws IOException {
        int count = store.layout().chunkCount();
        for (int i = 0; i < count; i++) {
            write(i);
        }
        store.commit();
        Chunk chunk = store.layout().chunk(1);
        Path staged = ((FileDownloadStore) store).stagingRoot().resolve(chunk.path());
        try (FileChannel file = FileChannel.open(staged, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {(byte) 0xAB}), chunk.offset());
        }
        assertThat(read(1)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(store::install).as("a chunk known bad is never installed")
                .isInstanceOf(IllegalStateException.class);
        write(1); // fetched again
        store.commit();
        assertThat(read(1)).isTrue();
        store.install();
        Path installed = fx.games.resolve("quake").resolve(chunk.path());
        ByteBuffer bytes = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(installed));
        bytes.position((int) chunk.offset()).limit((int) chunk.offset() + chunk.length());
        assertThat(bytes).isEqualTo(TestGames.chunkBytes(fx.remoteFolder(manifest), chunk));
    }

    @Test
    void rangesThatAreNotExactlyOneChunkAreRefused() throws IOException {
        write(0, 5);
        store.commit();
        Chunk last = store.layout().chunk(5); // the short last chunk of data/big.bin
        ByteBuffer target = ByteBuffer.allocate(2048);
        assertThat(copy.read(last.path(), last.offset(), last.length(), target)).isTrue();
        assertThat(copy.read(last.path(), 1, StoreFixture.CHUNK, ByteBuffer.allocate(2048))).isFalse();
        assertThat(copy.read(last.path(), 0, StoreFixture.CHUNK - 1, ByteBuffer.allocate(2048))).isFalse();
        assertThat(copy.read("data/none.bin", 0, StoreFixture.CHUNK, ByteBuffer.allocate(2048))).isFalse();
        assertThat(copy.read(last.path(), 6L * StoreFixture.CHUNK, 10, ByteBuffer.allocate(2048))).isFalse();
    }

    @Test
    void aClosedCopyServesNothing() throws IOException {
        write(0);
        store.commit();
        copy.close();
        assertThat(read(0)).isFalse();
        assertThat(copy.held().isEmpty()).isTrue();
    }

    private boolean read(int index) throws IOException {
        Chunk chunk = store.layout().chunk(index);
        return copy.read(chunk.path(), chunk.offset(), chunk.length(), ByteBuffer.allocate(chunk.length()));
    }

    private void write(int... indices) throws IOException {
        for (int i : indices) {
            Chunk chunk = store.layout().chunk(i);
            store.write(chunk, TestGames.chunkBytes(fx.remoteFolder(manifest), chunk));
        }
    }

    private static BitSet bits(int... indices) {
        BitSet bits = new BitSet();
        for (int i : indices) {
            bits.set(i);
        }
        return bits;
    }
}
