package io.lanspread.api.download;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs downloads into the local game directory. A download asks every peer that holds the game for its
 * manifest, decides per file which content to fetch (the holders' vote, or the peer the user chose),
 * fetches chunks from every agreeing source in parallel as the planner service says, verifies each chunk
 * against the chosen manifest before writing it, persists its progress so that it resumes after a
 * restart, and swaps the complete game in with {@code version.ini} last, so that a half-downloaded or
 * unverified game never looks complete.
 */
@ProviderType
public interface DownloadManager {

    /**
     * Starts a download and returns its first status (RUNNING: the holders are being asked). Whatever
     * goes wrong after this is reported in the download's status and to the listeners.
     *
     * @throws IllegalStateException    when the game is already being downloaded
     * @throws IllegalArgumentException when the request is unusable (an unsafe game id)
     */
    DownloadStatus start(DownloadRequest request);

    /** Cancels a download that has not ended and deletes what it wrote; false when there is none. */
    boolean cancel(String downloadId);

    /** Resumes an INTERRUPTED download; false when there is no such download in that state. */
    boolean resume(String downloadId);

    /** Forgets an ended download (FINISHED, FAILED, CANCELLED); false when there is none. */
    boolean remove(String downloadId);

    /** Every download known: running and waiting ones first, then interrupted, then ended ones. */
    List<DownloadStatus> downloads();

    Optional<DownloadStatus> download(String downloadId);
}
