package io.lanspread.catalog.internal;

import java.util.List;

import io.lanspread.api.game.Game;

/**
 * A folder that qualifies as a game (it holds a {@code version.ini}) as one walk saw it.
 *
 * @param game          what {@code version.ini} says, with the total size of the tree
 * @param tree          every entry sorted by path
 * @param observedNanos when the walk ran ({@link System#nanoTime()}); cached scan results keep theirs
 */
record ScannedGame(Game game, List<TreeEntry> tree, long observedNanos) {

    ScannedGame {
        tree = List.copyOf(tree);
    }

    String id() {
        return game.id();
    }

    /** Same version.ini content and the same tree: nothing changed between the two walks. */
    boolean sameAs(ScannedGame other) {
        return other != null && game.equals(other.game) && tree.equals(other.tree);
    }
}
