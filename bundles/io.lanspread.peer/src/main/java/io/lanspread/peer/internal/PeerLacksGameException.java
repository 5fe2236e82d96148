package io.lanspread.peer.internal;

import io.lanspread.api.game.GameNotFoundException;

/** The peer the user chose as the source of a download is not known, or does not list the game. */
final class PeerLacksGameException extends GameNotFoundException {

    private static final long serialVersionUID = 1L;

    private final String peerId;
    private final String sentence;

    private PeerLacksGameException(String peerId, String gameId, String sentence) {
        super(gameId);
        this.peerId = peerId;
        this.sentence = sentence;
    }

    static PeerLacksGameException unknownPeer(String peerId, String gameId) {
        return new PeerLacksGameException(peerId, gameId,
                "peer " + peerId + " is not known, so it cannot be the source of game " + gameId);
    }

    static PeerLacksGameException notListed(String peerId, String gameId) {
        return new PeerLacksGameException(peerId, gameId, "peer " + peerId + " does not have game " + gameId);
    }

    String peerId() {
        return peerId;
    }

    @Override
    public String getMessage() {
        return sentence;
    }
}
