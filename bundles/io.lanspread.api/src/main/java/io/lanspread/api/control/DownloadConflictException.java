package io.lanspread.api.control;

/** A download that makes no sense now: the game is already being downloaded, or is already here. */
public class DownloadConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        ALREADY_DOWNLOADING, ALREADY_LOCAL
    }

    private final Reason reason;

    public DownloadConflictException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
