package io.lanspread.api.control;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.peer.PeerInfo;

/**
 * The entry point a UI uses. Queries answer at once from what the runtime knows; events about what
 * changes arrive through {@link io.lanspread.api.event.LanspreadEventListener} services.
 */
@ProviderType
public interface PeerControl {

    PeerStatus status();

    List<PeerInfo> peers();

    /** Local and remote games merged by id, sorted by id. */
    List<GameListing> games();

    /**
     * A game with its file tree: from the local library when the game is here, else fetched from a peer
     * that has the newest version. Fails with {@link GameNotFoundException} for an unknown id.
     */
    CompletionStage<GameDetails> game(String gameId);

    /**
     * Downloads the newest version of a game from every peer that has it.
     *
     * @throws GameNotFoundException     when no peer has the game
     * @throws DownloadConflictException when it is already downloading or already here
     */
    default CompletionStage<DownloadStatus> download(String gameId) {
        return download(gameId, null);
    }

    /**
     * Downloads the newest version of a game. With {@code fromPeerId} null, the holders vote on each
     * file's content; otherwise the manifest of that peer (the user trusts it) decides.
     *
     * @throws GameNotFoundException     when no peer has the game (or the chosen peer does not)
     * @throws DownloadConflictException when it is already downloading or already here
     */
    CompletionStage<DownloadStatus> download(String gameId, String fromPeerId);

    /** Cancels a download that has not ended; false when there is none with that id. */
    boolean cancel(String downloadId);

    /** Resumes an interrupted download; false when there is none in that state with that id. */
    boolean resume(String downloadId);

    /** Forgets an ended download; false when there is none with that id. */
    boolean remove(String downloadId);

    /** Every download of this session. */
    List<DownloadStatus> downloads();

    /** Serve and download into another directory from now on (created when missing). */
    PeerStatus setGameDirectory(Path directory);

    /** Runs a command object; the command's type says what the stage completes with. */
    default CompletionStage<?> execute(PeerCommand command) {
        if (command instanceof PeerCommand.SetGameDirectory c) {
            return java.util.concurrent.CompletableFuture.completedFuture(setGameDirectory(c.directory()));
        } else if (command instanceof PeerCommand.ListGames) {
            return java.util.concurrent.CompletableFuture.completedFuture(games());
        } else if (command instanceof PeerCommand.GetGame c) {
            return game(c.gameId());
        } else if (command instanceof PeerCommand.DownloadGameFiles c) {
            return download(c.gameId(), c.fromPeerId());
        } else if (command instanceof PeerCommand.CancelDownload c) {
            return java.util.concurrent.CompletableFuture.completedFuture(cancel(c.downloadId()));
        }
        throw new IllegalArgumentException("unknown command: " + command);
    }
}
