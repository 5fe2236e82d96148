package io.lanspread.api.download;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs downloads into the local game directory: prepares storage, fetches chunks from every source in
 * parallel, retries a failed chunk on other peers, verifies, and writes {@code version.ini} last so a
 * half-downloaded game never looks complete.
 */
@ProviderType
public interface DownloadManager {

    /**
     * Starts a download and returns its first status.
     *
     * @throws IllegalStateException when the game is already being downloaded
     * @throws IllegalArgumentException when the request has no source or an unsafe path
     */
    DownloadStatus start(DownloadRequest request, DownloadListener listener);

    /** Cancels a running download and removes what it wrote; false when no such download runs. */
    boolean cancel(String downloadId);

    /** Every download of this session, running ones first. */
    List<DownloadStatus> downloads();

    Optional<DownloadStatus> download(String downloadId);
}
