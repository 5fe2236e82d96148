package io.lanspread.bridge.http.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.peer.PeerInfo;

/** A PeerControl whose answers the test sets. */
final class FakeControl implements PeerControl {

    PeerStatus status = new PeerStatus("self", "me", 42420, Path.of("/srv/games"));
    List<PeerInfo> peers = new ArrayList<>();
    List<GameListing> games = new ArrayList<>();
    List<DownloadStatus> downloads = new ArrayList<>();
    final Map<String, CompletionStage<GameDetails>> details = new ConcurrentHashMap<>();
    Function<String, CompletionStage<DownloadStatus>> download = id -> CompletableFuture
            .failedFuture(new GameNotFoundException(id));
    final List<String> calls = new ArrayList<>();

    @Override
    public PeerStatus status() {
        return status;
    }

    @Override
    public List<PeerInfo> peers() {
        return peers;
    }

    @Override
    public List<GameListing> games() {
        return games;
    }

    @Override
    public CompletionStage<GameDetails> game(String gameId) {
        calls.add("game " + gameId);
        return details.getOrDefault(gameId, CompletableFuture.failedFuture(new GameNotFoundException(gameId)));
    }

    @Override
    public CompletionStage<DownloadStatus> download(String gameId, String fromPeerId) {
        calls.add("download " + gameId + (fromPeerId == null ? "" : " from " + fromPeerId));
        return download.apply(gameId);
    }

    @Override
    public boolean cancel(String downloadId) {
        calls.add("cancel " + downloadId);
        return downloads.stream().anyMatch(d -> d.id().equals(downloadId) && !d.state().ended());
    }

    @Override
    public boolean resume(String downloadId) {
        calls.add("resume " + downloadId);
        return downloads.stream().anyMatch(d -> d.id().equals(downloadId) && d.state() == DownloadState.INTERRUPTED);
    }

    @Override
    public boolean remove(String downloadId) {
        calls.add("remove " + downloadId);
        return downloads.stream().anyMatch(d -> d.id().equals(downloadId) && d.state().ended());
    }

    @Override
    public List<DownloadStatus> downloads() {
        return downloads;
    }

    @Override
    public PeerStatus setGameDirectory(Path directory) {
        throw new UnsupportedOperationException();
    }
}
