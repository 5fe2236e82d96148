package io.lanspread.api.game;

/** A game id or relative path that would leave the game directory, or is otherwise not a plain name. */
public class UnsafePathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsafePathException(String message) {
        super(message);
    }
}
