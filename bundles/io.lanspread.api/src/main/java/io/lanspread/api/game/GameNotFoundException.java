package io.lanspread.api.game;

/** No game with this id is known (locally, or on any peer, depending on who throws it). */
public class GameNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String gameId;

    public GameNotFoundException(String gameId) {
        super("unknown game: " + gameId);
        this.gameId = gameId;
    }

    public String gameId() {
        return gameId;
    }
}
