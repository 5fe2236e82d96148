package io.lanspread.api.control;

import java.util.List;

import io.lanspread.api.game.Game;

/**
 * A title as the UI shows it, local and remote merged by id.
 *
 * @param game             the newest version known (local or remote)
 * @param local            true when this peer has the game complete at that version
 * @param peerIds          the remote peers that have that version
 * @param installedVersion the version installed on this peer (older than {@code game}'s when an update is
 *                         available), or null when the game is not installed here
 */
public record GameListing(Game game, boolean local, List<String> peerIds, String installedVersion) {
    public GameListing {
        peerIds = List.copyOf(peerIds);
    }

    /** A listing whose installed version is the newest one when {@code local}, else none. */
    public GameListing(Game game, boolean local, List<String> peerIds) {
        this(game, local, peerIds, local ? game.version() : null);
    }

    /** True when an older version is installed here and a newer one is on the network. */
    public boolean updateAvailable() {
        return installedVersion != null && !local;
    }
}
