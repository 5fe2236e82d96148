package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;

/**
 * Creates and finds download stores. One per download manager: {@code stateDir} is the peer's state
 * folder, the games folder comes from the library; every path goes through {@link LocalLibrary#resolve}.
 */
public interface StoreFactory {

    /** Persists a new download's request (before its manifest is chosen), so it survives a restart. */
    void saveRequest(String downloadId, DownloadRequest request) throws IOException;

    /**
     * Opens the store for a download whose manifest is now chosen, creating its staging folder (stable
     * name per game and version: a download restarted on the same version finds its chunks again) and
     * persisting the manifest. Reserves nothing: the caller checks free space with {@link #freeBytes()}.
     */
    DownloadStore open(String downloadId, DownloadRequest request, GameManifest manifest) throws IOException;

    /** Downloads a previous run left: each with its request, and its store when a manifest was chosen. */
    List<Recovered> recover();

    /** Deletes whatever is kept for a download that has no open store (a cancel before the vote). */
    void forget(String downloadId);

    /**
     * The installed copy of a game with the library's current manifest of it (what its files hold now; all
     * chunks valid), if the library lists the game.
     */
    Optional<LocalCopy> installed(String gameId);

    /** Usable bytes on the games folder's file store. */
    long freeBytes() throws IOException;

    /**
     * A download found at start-up. {@code store} is empty when the previous run had not chosen a manifest;
     * otherwise its {@link DownloadStore#done()} holds only chunks that were re-hashed and matched.
     */
    record Recovered(String downloadId, DownloadRequest request, Optional<DownloadStore> store) {
    }

    /** The staging folder of a store, for tests and logs. */
    Path stagingFolder(DownloadStore store);
}
