package io.lanspread.protocol;

/** Bytes that break the wire protocol: bad length, truncated frame, invalid JSON or an invalid message. */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
