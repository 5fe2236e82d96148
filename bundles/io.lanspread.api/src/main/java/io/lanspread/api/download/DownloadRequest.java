package io.lanspread.api.download;

import java.util.Objects;

/**
 * What to download.
 *
 * @param gameId     the game
 * @param version    the version to fetch, or null for the newest version any peer holds
 * @param fromPeerId null to let the holders vote on each file's content (a strict majority of distinct
 *                   hosts wins); else the peer the user trusts for this download, whose manifest decides
 */
public record DownloadRequest(String gameId, String version, String fromPeerId) {
    public DownloadRequest {
        Objects.requireNonNull(gameId, "gameId");
        if (gameId.isEmpty()) {
            throw new IllegalArgumentException("empty game id");
        }
    }

    /** The newest version, content decided by the holders' vote. */
    public static DownloadRequest newest(String gameId) {
        return new DownloadRequest(gameId, null, null);
    }
}
