package io.lanspread.api.peer;

import java.util.List;

import io.lanspread.api.game.Game;

/**
 * A title as the peers have it: its newest version and the peers that hold exactly that version.
 */
public record RemoteGame(Game game, List<String> peerIds) {
    public RemoteGame {
        peerIds = List.copyOf(peerIds);
    }
}
