package io.lanspread.api.transport;

/** A request to a peer failed: the peer answered with an error, or could not be reached or understood. */
public class PeerRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Reason {
        /** The peer does not have the game. */
        GAME_NOT_FOUND,
        /** The peer does not have the file, or the range lies outside it. */
        FILE_NOT_FOUND,
        /** The path or game id was refused as unsafe. */
        INVALID_PATH,
        /** The peer could not parse or accept the request. */
        BAD_REQUEST,
        /** The file changed on the peer since it was hashed; its manifest no longer describes it. */
        FILE_CHANGED,
        /** The peer failed while serving. */
        SERVER_ERROR,
        /** No connection could be made, or it broke. */
        UNREACHABLE,
        /** The answer broke the protocol (bad frame, wrong identity, short data). */
        PROTOCOL,
        /** No answer in time. */
        TIMEOUT,
        /** A peer still downloading the game does not hold that chunk verified (protocol 4). */
        CHUNK_NOT_HELD
    }

    private final Reason reason;

    public PeerRequestException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PeerRequestException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
