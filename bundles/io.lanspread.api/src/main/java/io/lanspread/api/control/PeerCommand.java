package io.lanspread.api.control;

import java.nio.file.Path;

/** The commands a UI sends; {@link PeerControl#execute} says what each one answers. */
public sealed interface PeerCommand {

    /** Serve and download into another game directory. Answers the new {@link PeerStatus}. */
    record SetGameDirectory(Path directory) implements PeerCommand {
    }

    /** Answers the merged {@code List<GameListing>}. */
    record ListGames() implements PeerCommand {
    }

    /** Answers {@link GameDetails}. */
    record GetGame(String gameId) implements PeerCommand {
    }

    /**
     * Downloads the newest version from every peer that has it (content by vote, or from the peer the user
     * trusts when {@code fromPeerId} is set). Answers the first download status.
     */
    record DownloadGameFiles(String gameId, String fromPeerId) implements PeerCommand {
        /** The holders vote on the content. */
        public DownloadGameFiles(String gameId) {
            this(gameId, null);
        }
    }

    /** Answers {@code Boolean}: whether a running download was cancelled. */
    record CancelDownload(String downloadId) implements PeerCommand {
    }
}
