package io.lanspread.download.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.GameManifest;

/** Group commit: chunks are written unforced and marked only in batches, after their files were forced. */
class GroupCommitTest {
    @TempDir
    java.nio.file.Path root;
    StoreFixture fx;
    GameManifest manifest;

    @BeforeEach
    void setUp() throws IOException {
        fx = new StoreFixture(root);
        manifest = fx.remoteGame("quake", "1.0", StoreFixture.gameFiles("1.0", 7));
    }

    private void write(DownloadStore store, int... indices) throws IOException {
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

    @Test
    void aBatchForcesEveryFileItWroteToBeforeItMarksItsChunks() throws IOException {
        List<String> events = new ArrayList<>();
        DurabilityBatcher<String> batcher = new DurabilityBatcher<>(
                new CommitPolicy(Long.MAX_VALUE, Long.MAX_VALUE, System::nanoTime), file -> events.add("force " + file),
                indices -> events.add("mark " + java.util.Arrays.toString(indices)));
        batcher.written("a", 0, 10);
        batcher.written("b", 5, 10);
        batcher.written("a", 1, 10);
        assertThat(events).isEmpty();

        batcher.commit();
        batcher.commit(); // nothing waits: nothing happens

        assertThat(events).containsExactly("force a", "force b", "mark [0, 5, 1]");
        assertThat(batcher.pending()).isFalse();
    }

    @Test
    void aBatchWhoseForceFailedIsNeverMarked() throws IOException {
        List<int[]> marked = new ArrayList<>();
        DurabilityBatcher<String> batcher = new DurabilityBatcher<>(
                new CommitPolicy(Long.MAX_VALUE, Long.MAX_VALUE, System::nanoTime), file -> {
                    throw new IOException("Input/output error");
                }, marked::add);
        batcher.written("a", 3, 10);

        assertThatThrownBy(batcher::commit).isInstanceOf(IOException.class);
        batcher.commit();

        assertThat(marked).isEmpty();
    }

    @Test
    void aBatchIsDueBySizeOrByAge() {
        AtomicLong now = new AtomicLong();
        DurabilityBatcher<String> batcher = new DurabilityBatcher<>(new CommitPolicy(100, 1_000, now::get), f -> {
        }, i -> {
        });
        assertThat(batcher.due()).isFalse();
        assertThat(batcher.written("a", 0, 60)).isFalse();
        now.addAndGet(999);
        assertThat(batcher.due()).isFalse();
        now.addAndGet(1);
        assertThat(batcher.due()).as("the oldest waited 1000 ns").isTrue();

        batcher.drop();
        assertThat(batcher.written("a", 1, 60)).isFalse();
        assertThat(batcher.written("a", 2, 40)).as("100 bytes wait").isTrue();
    }

    @Test
    void writtenChunksAreDoneOnlyOnceCommitted() throws IOException {
        DownloadStore store = fx.factoryCommittingOnRequest().open("d1", StoreFixture.request("quake"), manifest);
        write(store, 0, 1, 5);

        assertThat(store.done().isEmpty()).isTrue();
        assertThat(store.uncommitted()).isTrue();
        store.commit();

        assertThat(store.done()).isEqualTo(bits(0, 1, 5));
        assertThat(store.uncommitted()).isFalse();
    }

    @Test
    void aCrashAfterUnforcedWritesReopensWithOnlyTheCommittedChunks() throws IOException {
        FileStoreFactory factory = fx.factoryCommittingOnRequest();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        write(store, 0, 1);
        store.commit();
        write(store, 2, 3, 5); // written, in the page cache, never committed
        // a crash: the store is never closed, a new run recovers from what is on disk

        DownloadStore again = fx.factory().recover().get(0).store().orElseThrow();

        assertThat(again.done()).as("unforced chunks are not trusted").isEqualTo(bits(0, 1));
        fx.fetchRest(again); // and are simply fetched again
        assertThat(again.done().cardinality()).isEqualTo(manifest.totalChunks());
    }

    @Test
    void theStoreCommitsByItselfOnceABatchIsBigEnough() throws IOException {
        FileStoreFactory factory = new FileStoreFactory(fx.state, fx.library, Installer.Mover.ATOMIC,
                new CommitPolicy(2L * StoreFixture.CHUNK, Long.MAX_VALUE, System::nanoTime));
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);

        write(store, 0);
        assertThat(store.done().isEmpty()).isTrue();
        assertThat(store.commitDue()).isFalse();
        write(store, 1);

        assertThat(store.done()).isEqualTo(bits(0, 1));
    }

    @Test
    void closeCommitsWhatWaitsSoAStopLosesNothing() throws IOException {
        DownloadStore store = fx.factoryCommittingOnRequest().open("d1", StoreFixture.request("quake"), manifest);
        write(store, 0, 2, 4);
        store.close();

        assertThat(fx.factory().recover().get(0).store().orElseThrow().done()).isEqualTo(bits(0, 2, 4));
    }

    @Test
    void installCommitsEverythingWrittenFirst() throws IOException {
        DownloadStore store = fx.factoryCommittingOnRequest().open("d1", StoreFixture.request("quake"), manifest);
        for (Chunk chunk : store.layout().chunks()) {
            store.write(chunk, TestGames.chunkBytes(fx.remoteFolder(manifest), chunk));
        }
        assertThat(store.done().isEmpty()).isTrue();

        store.install();

        assertThat(fx.games.resolve("quake/data/big.bin"))
                .hasBinaryContent(Files.readAllBytes(fx.remoteFolder(manifest).resolve("data/big.bin")));
        assertThat(fx.games.resolve("quake/version.ini")).hasContent("1.0");
    }

    @Test
    void discardDropsWhatWaitsWithoutMarkingIt() throws IOException {
        FileStoreFactory factory = fx.factoryCommittingOnRequest();
        DownloadStore store = factory.open("d1", StoreFixture.request("quake"), manifest);
        write(store, 0, 1);

        store.discard();
        store.commit(); // nothing waits any more

        assertThat(factory.stagingFolder(store)).doesNotExist();
        assertThat(fx.state.resolve("downloads/d1")).doesNotExist();
    }
}
