package io.lanspread.download.internal.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.store.DownloadStore;
import io.lanspread.download.internal.store.LocalCopy;
import io.lanspread.download.internal.store.StoreFactory;

/**
 * The blocking part of preparing a download, run on a worker: checks free space, opens the store for the
 * chosen manifest and takes what local copies already hold (the installed copy of an update, the previous
 * version's staging after a version switch).
 */
final class StoreOpening {

    /** Refused before anything was written; the message is a sentence. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String sentence) {
            super(sentence, null, false, false);
        }
    }

    private StoreOpening() {
    }

    /**
     * @param previous the download's store of another version, read for reuse (the factory closes it when the
     *                 new one opens; the caller discards it afterwards), or null
     */
    static DownloadStore open(StoreFactory stores, DiskReservations reservations, String downloadId,
            DownloadRequest request, GameManifest chosen, DownloadStore previous, BooleanSupplier cancelled)
            throws IOException, Refused {
        Optional<LocalCopy> installed = stores.installed(request.gameId());
        long needed = bytesToFetch(chosen, installed.map(LocalCopy::manifest).orElse(null));
        long free = stores.freeBytes();
        long others = reservations.reserve(downloadId, needed, free);
        if (others >= 0) {
            throw new Refused("Not enough free space for " + request.gameId() + ": " + Sentences.bytes(needed)
                    + " needed, " + Sentences.bytes(free) + " free in the games folder"
                    + (others > 0 ? ", of which other downloads still need " + Sentences.bytes(others) : "") + ".");
        }
        try {
            return openReserved(stores, downloadId, request, chosen, previous, installed, cancelled);
        } catch (IOException | Refused | RuntimeException e) {
            reservations.release(downloadId);
            throw e;
        }
    }

    private static DownloadStore openReserved(StoreFactory stores, String downloadId, DownloadRequest request,
            GameManifest chosen, DownloadStore previous, Optional<LocalCopy> installed, BooleanSupplier cancelled)
            throws IOException, Refused {
        List<LocalCopy> copies = new ArrayList<>();
        if (previous != null) {
            copies.add(new LocalCopy(stores.stagingFolder(previous), previous.manifest(), previous.done()));
        }
        installed.ifPresent(copies::add);
        DownloadStore store;
        try {
            store = stores.open(downloadId, request, chosen);
        } catch (IllegalStateException e) {
            throw new Refused("This version of " + request.gameId() + " is already being downloaded.");
        }
        try {
            if (!copies.isEmpty()) {
                store.reuse(copies, cancelled);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            store.discard();
            throw e;
        }
    }

    /** The bytes of files that the installed copy does not already hold identically (those are linked). */
    static long bytesToFetch(GameManifest chosen, GameManifest installed) {
        long needed = 0;
        for (FileManifest file : chosen.files()) {
            boolean same = installed != null && installed.chunkSize() == chosen.chunkSize()
                    && file.sameContent(installed.file(file.path()).orElse(null));
            if (!same) {
                needed += file.size();
            }
        }
        return needed;
    }
}
