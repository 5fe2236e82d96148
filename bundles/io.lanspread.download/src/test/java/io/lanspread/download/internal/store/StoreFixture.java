package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.GameManifest;

/** A games folder, a state folder and a "remote" copy of a game whose chunks tests write into stores. */
final class StoreFixture {
    static final int CHUNK = 1024;

    final Path games;
    final Path state;
    final Path remote;
    final FakeLibrary library;

    StoreFixture(Path root) throws IOException {
        this.games = Files.createDirectories(root.resolve("games"));
        this.state = Files.createDirectories(root.resolve("state"));
        this.remote = Files.createDirectories(root.resolve("remote"));
        this.library = new FakeLibrary(games, CHUNK);
    }

    FileStoreFactory factory() {
        return new FileStoreFactory(state, library);
    }

    /** Stores that commit only when asked (or on install and close): no batch is ever due by itself. */
    FileStoreFactory factoryCommittingOnRequest() {
        return new FileStoreFactory(state, library, Installer.Mover.ATOMIC,
                new CommitPolicy(Long.MAX_VALUE, Long.MAX_VALUE, System::nanoTime));
    }

    FileStoreFactory factory(Installer.Mover mover) {
        return new FileStoreFactory(state, library, mover);
    }

    /** A game of a few files with chunks of every shape (full, short last, empty file, folder). */
    static Map<String, byte[]> gameFiles(String version, long seed) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("version.ini", version.getBytes());
        files.put("data/big.bin", TestGames.bytes(seed, 5 * CHUNK + 100));
        files.put("data/small.bin", TestGames.bytes(seed + 1, 300));
        files.put("empty.txt", new byte[0]);
        files.put("maps", null);
        return files;
    }

    /** Puts {@code files} in the remote folder (replacing what was there) and returns its manifest. */
    GameManifest remoteGame(String gameId, String version, Map<String, byte[]> files) throws IOException {
        Path folder = remote.resolve(gameId + "-" + version);
        TempFolders.deleteTree(folder);
        Files.createDirectories(folder);
        TestGames.write(folder, files);
        return TestGames.manifest(folder, gameId, version, CHUNK);
    }

    Path remoteFolder(GameManifest manifest) {
        return remote.resolve(manifest.gameId() + "-" + manifest.version());
    }

    /** Installs a copy by hand (as a user copying a folder in), returning its folder. */
    Path installByHand(String gameId, Map<String, byte[]> files) throws IOException {
        Path folder = Files.createDirectories(games.resolve(gameId));
        TestGames.write(folder, files);
        return folder;
    }

    /** Writes every chunk not done yet from the remote copy and commits them, as the engine would. */
    void fetchRest(DownloadStore store) throws IOException {
        Path from = remoteFolder(store.manifest());
        java.util.BitSet done = store.done();
        for (Chunk chunk : store.layout().chunks()) {
            if (!done.get(chunk.index())) {
                store.write(chunk, TestGames.chunkBytes(from, chunk));
            }
        }
        store.commit();
    }

    static DownloadRequest request(String gameId) {
        return new DownloadRequest(gameId, null, null);
    }
}
