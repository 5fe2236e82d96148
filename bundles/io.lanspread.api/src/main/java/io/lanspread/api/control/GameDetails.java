package io.lanspread.api.control;

import java.util.List;

import io.lanspread.api.game.GameFile;

/** A title with its file tree. */
public record GameDetails(GameListing listing, List<GameFile> files) {
    public GameDetails {
        files = List.copyOf(files);
    }
}
