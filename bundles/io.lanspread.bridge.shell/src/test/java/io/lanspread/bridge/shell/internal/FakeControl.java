package io.lanspread.bridge.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lanspread.api.control.DownloadConflictException;
import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.peer.PeerInfo;

/** A control service holding what a test puts in it; downloads it starts run until cancelled. */
class FakeControl implements PeerControl {

    PeerStatus status = new PeerStatus("me0000", "here", 42420, Path.of("/srv/games"), 3L << 20);
    final List<PeerInfo> peers = new ArrayList<>();
    final List<GameListing> games = new ArrayList<>();
    final Map<String, CompletionStage<GameDetails>> details = new HashMap<>();
    final List<DownloadStatus> downloads = new ArrayList<>();
    final List<String> cancelled = new ArrayList<>();

    @Override
    public PeerStatus status() {
        return status;
    }

    @Override
    public List<PeerInfo> peers() {
        return List.copyOf(peers);
    }

    @Override
    public List<GameListing> games() {
        return List.copyOf(games);
    }

    @Override
    public CompletionStage<GameDetails> game(String gameId) {
        return details.getOrDefault(gameId, CompletableFuture.failedFuture(new GameNotFoundException(gameId)));
    }

    @Override
    public CompletionStage<DownloadStatus> download(String gameId, String fromPeerId) {
        GameListing listing = games.stream().filter(g -> g.game().id().equals(gameId)).findFirst()
                .orElseThrow(() -> new GameNotFoundException(gameId));
        if (listing.local()) {
            throw new DownloadConflictException(DownloadConflictException.Reason.ALREADY_LOCAL,
                    "game " + gameId + " " + listing.game().version() + " is already here");
        }
        if (downloads.stream().anyMatch(d -> d.gameId().equals(gameId) && !d.state().ended())) {
            throw new DownloadConflictException(DownloadConflictException.Reason.ALREADY_DOWNLOADING,
                    "game " + gameId + " is already being downloaded");
        }
        DownloadStatus started = new DownloadStatus("dl-" + (downloads.size() + 1), gameId, null, DownloadState.RUNNING,
                0, 0, 0, 0, 0, 0, listing.peerIds().size(), List.of(), null);
        downloads.add(started);
        return CompletableFuture.completedFuture(started);
    }

    @Override
    public boolean cancel(String downloadId) {
        for (int i = 0; i < downloads.size(); i++) {
            DownloadStatus d = downloads.get(i);
            if (d.id().equals(downloadId) && !d.state().ended()) {
                downloads.set(i, new DownloadStatus(d.id(), d.gameId(), d.version(), DownloadState.CANCELLED,
                        d.downloadedBytes(), d.totalBytes(), d.fetchedBytes(), d.reusedBytes(), 0, 0, 0, d.notes(), null));
                cancelled.add(downloadId);
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean resume(String downloadId) {
        return false;
    }

    @Override
    public boolean remove(String downloadId) {
        return downloads.removeIf(d -> d.id().equals(downloadId) && d.state().ended());
    }

    @Override
    public List<DownloadStatus> downloads() {
        return List.copyOf(downloads);
    }

    @Override
    public PeerStatus setGameDirectory(Path directory) {
        throw new UnsupportedOperationException();
    }
}
