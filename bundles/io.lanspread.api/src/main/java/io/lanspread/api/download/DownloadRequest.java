package io.lanspread.api.download;

import java.util.List;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;

/**
 * What to download: a game at one version, its file tree as the peers describe it, and every peer that
 * has that version.
 */
public record DownloadRequest(Game game, List<GameFile> files, List<PeerSource> sources) {
    public DownloadRequest {
        files = List.copyOf(files);
        sources = List.copyOf(sources);
    }
}
