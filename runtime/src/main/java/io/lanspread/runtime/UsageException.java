package io.lanspread.runtime;

/** A command line the launcher cannot use; the message says why. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
