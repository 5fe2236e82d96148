package io.lanspread.bridge.shell.internal;

import java.util.List;
import java.util.Locale;

import io.lanspread.api.control.GameListing;

/**
 * What {@code lanspread:games} answers: every game on this peer and the peers it knows, merged by id, or
 * those whose id or name contains the filter.
 */
public record GameTable(List<GameListing> games, String filter) {

    public GameTable {
        String needle = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
        games = needle.isEmpty() ? List.copyOf(games)
                : games.stream().filter(g -> matches(g, needle)).toList();
    }

    private static boolean matches(GameListing listing, String needle) {
        return listing.game().id().toLowerCase(Locale.ROOT).contains(needle)
                || listing.game().name().toLowerCase(Locale.ROOT).contains(needle);
    }

    @Override
    public String toString() {
        if (games.isEmpty()) {
            return filter == null || filter.isBlank()
                    ? "No games yet: none in this peer's games folder, and no peer found has any."
                    : "No game matches '" + filter.strip() + "'.";
        }
        TextTable table = new TextTable("ID", "NAME", "VERSION", "SIZE", "PEERS", "INSTALLED");
        for (GameListing g : games) {
            table.row(g.game().id(), g.game().name(), g.game().version(), Units.bytes(g.game().size()),
                    String.valueOf(g.peerIds().size()), g.local() ? "yes" : "no");
        }
        return table.toString();
    }
}
