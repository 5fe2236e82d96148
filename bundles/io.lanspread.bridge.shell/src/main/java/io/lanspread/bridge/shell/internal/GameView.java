package io.lanspread.bridge.shell.internal;

import java.util.List;

import io.lanspread.api.control.GameDetails;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;

/**
 * What {@code lanspread:game} answers: one game, who has it, and its files (the first
 * {@value #FILES_SHOWN} printed; {@link #details()} holds them all).
 *
 * @param holders the names of the peers that have the newest version
 */
public record GameView(GameDetails details, List<String> holders) {

    static final int FILES_SHOWN = 40;

    public GameView {
        holders = List.copyOf(holders);
    }

    @Override
    public String toString() {
        Game game = details.listing().game();
        StringBuilder out = new StringBuilder();
        out.append("id         ").append(game.id()).append('\n');
        out.append("name       ").append(game.name()).append('\n');
        out.append("version    ").append(game.version()).append('\n');
        out.append("size       ").append(Units.bytes(game.size())).append('\n');
        out.append("installed  ").append(details.listing().local() ? "yes" : "no").append('\n');
        out.append("peers      ").append(holders.isEmpty() ? "none" : String.join(", ", holders)).append('\n');
        List<GameFile> files = details.files();
        out.append("files      ").append(files.stream().filter(f -> !f.directory()).count()).append('\n');
        TextTable table = new TextTable("PATH", "SIZE");
        files.stream().limit(FILES_SHOWN)
                .forEach(f -> table.row(f.directory() ? f.path() + "/" : f.path(), f.directory() ? "" : Units.bytes(f.size())));
        if (!files.isEmpty()) {
            out.append(table);
        }
        if (files.size() > FILES_SHOWN) {
            out.append("\n... and ").append(files.size() - FILES_SHOWN).append(" more");
        }
        return out.toString().stripTrailing();
    }
}
