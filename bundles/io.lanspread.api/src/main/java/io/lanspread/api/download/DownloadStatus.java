package io.lanspread.api.download;

import java.util.List;

/**
 * A snapshot of one download.
 *
 * @param id              the download's id, stable across restarts of the peer
 * @param gameId          the game
 * @param version         the version being fetched (null until the holders were asked)
 * @param state           where it stands
 * @param downloadedBytes verified bytes in place, each chunk counted once (fetched plus reused)
 * @param totalBytes      the game's size (0 until the manifest is chosen)
 * @param fetchedBytes    verified bytes fetched from peers (in this run or in one before a restart)
 * @param reusedBytes     verified bytes copied or linked from local data instead of fetched: the installed
 *                        copy of an older version, or the staging folder of a version the download left
 * @param bytesPerSecond  recent rate of verified bytes fetched
 * @param activePeers     sources with a request in flight
 * @param sources         peers this download may fetch from now
 * @param notes           sentences worth showing: peers left out because their content differs, a
 *                        version switch after a restart, why the download is waiting
 * @param error           why it failed, a sentence; else {@code null}
 * @param sharedBytes     verified bytes of this download that other peers may fetch from this peer while it runs
 *                        (swarming: its chunks verified and durable); 0 when it does not share (swarming off, not
 *                        fetching yet, ended). Refreshed every progress interval.
 */
public record DownloadStatus(String id, String gameId, String version, DownloadState state, long downloadedBytes,
        long totalBytes, long fetchedBytes, long reusedBytes, long bytesPerSecond, int activePeers, int sources,
        List<String> notes, String error, long sharedBytes) {
    public DownloadStatus {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A status that shares nothing (as before swarming). */
    public DownloadStatus(String id, String gameId, String version, DownloadState state, long downloadedBytes,
            long totalBytes, long fetchedBytes, long reusedBytes, long bytesPerSecond, int activePeers, int sources,
            List<String> notes, String error) {
        this(id, gameId, version, state, downloadedBytes, totalBytes, fetchedBytes, reusedBytes, bytesPerSecond,
                activePeers, sources, notes, error, 0);
    }
}
