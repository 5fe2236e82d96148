package io.lanspread.api.control;

import java.util.List;

import io.lanspread.api.game.Game;

/**
 * A title as the UI shows it, local and remote merged by id.
 *
 * @param game    the newest version known (local or remote)
 * @param local   true when this peer has the game complete at that version
 * @param peerIds the remote peers that have that version
 */
public record GameListing(Game game, boolean local, List<String> peerIds) {
    public GameListing {
        peerIds = List.copyOf(peerIds);
    }
}
