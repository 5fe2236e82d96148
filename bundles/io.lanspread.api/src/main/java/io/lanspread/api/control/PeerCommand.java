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

    /** Downloads the newest version from every peer that has it. Answers the first download status. */
    record DownloadGameFiles(String gameId) implements PeerCommand {
    }

    /** Answers {@code Boolean}: whether a running download was cancelled. */
    record CancelDownload(String downloadId) implements PeerCommand {
    }
}
