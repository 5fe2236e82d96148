package io.lanspread.api.download;

/**
 * A snapshot of one download.
 *
 * @param id              the download's id
 * @param gameId          the game
 * @param version         the version being fetched
 * @param state           where it stands
 * @param downloadedBytes verified bytes written, each chunk counted once
 * @param totalBytes      the game's size
 * @param bytesPerSecond  recent rate
 * @param activePeers     peers with a request in flight
 * @param error           why it failed, else {@code null}
 */
public record DownloadStatus(String id, String gameId, String version, DownloadState state, long downloadedBytes,
        long totalBytes, long bytesPerSecond, int activePeers, String error) {
}
