package io.lanspread.api.event;

import java.util.List;

import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.peer.PeerInfo;

/** Everything the runtime reports to a UI. */
public sealed interface LanspreadEvent {

    /** A peer answered for the first time (or again after it was lost). */
    record PeerDiscovered(PeerInfo peer) implements LanspreadEvent {
    }

    /** A peer went away: it said goodbye, or stayed silent too long. */
    record PeerLost(String peerId, String name) implements LanspreadEvent {
    }

    /** A peer's game list was fetched and differs from what was known. */
    record GameListUpdated(String peerId, String name, List<Game> games) implements LanspreadEvent {
        public GameListUpdated {
            games = List.copyOf(games);
        }
    }

    /** A game's file tree arrived from a peer. */
    record GameFilesReceived(String gameId, String peerId, List<GameFile> files) implements LanspreadEvent {
        public GameFilesReceived {
            files = List.copyOf(files);
        }
    }

    record DownloadBegin(DownloadStatus status) implements LanspreadEvent {
    }

    record DownloadProgress(DownloadStatus status) implements LanspreadEvent {
    }

    record DownloadFinished(DownloadStatus status) implements LanspreadEvent {
    }

    record DownloadFailed(DownloadStatus status) implements LanspreadEvent {
    }

    record DownloadCancelled(DownloadStatus status) implements LanspreadEvent {
    }
}
