package io.lanspread.download.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;

/** The engine over the real store on disk: files land byte-identical; a restart resumes under the same id. */
class RealStoreTest {
    private final FakeGame game = FakeGame.sample("quake", "1.0", 7);

    @TempDir
    Path games;
    @TempDir
    Path state;

    @Test
    void aDownloadLandsOnDiskByteIdentical() throws IOException {
        try (Harness h = new Harness(games, state).start()) {
            h.peer("a", "10.0.0.1", game);
            h.peer("b", "10.0.0.2", game);
            String id = h.manager.start(DownloadRequest.newest("quake")).id();
            DownloadStatus end = h.awaitEnd(id);

            assertThat(end.state()).as(String.valueOf(end.error())).isEqualTo(DownloadState.FINISHED);
            assertSameBytes(games.resolve("quake"), game);
        }
    }

    @Test
    void aRestartedPeerContinuesTheDownloadWithoutRefetchingVerifiedChunks() throws IOException {
        String id;
        try (Harness first = new Harness(games, state).start()) {
            FakePeers.Peer a = first.peer("a", "10.0.0.1", game);
            a.pauseAfter(10);
            id = first.manager.start(DownloadRequest.newest("quake")).id();
            Harness.await(() -> first.status(id).downloadedBytes() >= 10L * FakeGame.CHUNK, () -> "10 chunks");
        } // the manager stops as on a kill: the journal stays

        try (Harness second = new Harness(games, state).start()) {
            Harness.await(() -> second.manager.download(id).isPresent(), () -> "recovered " + id);
            assertThat(second.status(id).state()).isEqualTo(DownloadState.WAITING);
            second.discover(second.peers.add("a", "10.0.0.1", game));
            DownloadStatus end = second.awaitEnd(id);

            assertThat(end.state()).as(String.valueOf(end.error())).isEqualTo(DownloadState.FINISHED);
            assertThat(second.peers.calls).hasSizeLessThanOrEqualTo(game.chunkCount() - 10);
            assertSameBytes(games.resolve("quake"), game);
        }
    }

    private static void assertSameBytes(Path folder, FakeGame game) throws IOException {
        for (Map.Entry<String, byte[]> file : game.files.entrySet()) {
            assertThat(Files.readAllBytes(folder.resolve(file.getKey()))).as(file.getKey()).isEqualTo(file.getValue());
        }
        assertThat(Files.isDirectory(folder.resolve("data"))).isTrue();
    }
}
