package io.lanspread.bridge.http.internal;

/** An answer other than success: an HTTP status and a message for the {@code error} field. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String allow;

    ApiException(int status, String message) {
        this(status, message, null);
    }

    /** @param allow the methods the route accepts, for a 405 */
    ApiException(int status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    int status() {
        return status;
    }

    String allow() {
        return allow;
    }
}
