package io.lanspread.download.internal.lifecycle;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.CompletionException;

import io.lanspread.api.transport.PeerRequestException;

/** What users read: failures as sentences, never exception texts. */
public final class Sentences {
    public static final String WAITING_FOR_PEERS = "No peer that can serve the rest of this game is reachable; waiting for one to come back.";
    public static final String WAITING_FOR_HOLDERS = "No peer with this game is reachable; waiting for one.";

    private Sentences() {
    }

    /** Why a request to a peer failed, as the end of "... because <reason>". */
    public static String peerFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PeerRequestException request) {
            return switch (request.reason()) {
                case GAME_NOT_FOUND -> "it no longer has the game";
                case FILE_NOT_FOUND -> "it does not have the file";
                case INVALID_PATH -> "it refused the path as unsafe";
                case BAD_REQUEST -> "it did not accept the request";
                case FILE_CHANGED -> "its copy of the file changed since it was hashed";
                case SERVER_ERROR -> "it failed while serving";
                case UNREACHABLE -> "it could not be reached";
                case PROTOCOL -> "its answer broke the protocol (it may speak only protocol 1)";
                case TIMEOUT -> "it did not answer in time";
                case CHUNK_NOT_HELD -> "it does not hold that part verified yet";
            };
        }
        return "of an unexpected error";
    }

    /** A disk failure as a sentence. */
    public static String diskFailure(Throwable failure, String what) {
        Throwable cause = unwrap(failure);
        if (saysDiskFull(cause)) {
            return "The disk is full: " + what + " failed.";
        }
        if (cause instanceof AccessDeniedException) {
            return "Access to the games folder was denied: " + what + " failed.";
        }
        if (cause instanceof FileSystemException || cause instanceof IOException) {
            return "The games folder could not be written: " + what + " failed.";
        }
        return "An unexpected error stopped the download: " + what + " failed.";
    }

    /** Whether any cause says the disk (or quota) is full; the store's own sentence says "the disk is full". */
    private static boolean saysDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                    : t.getMessage();
            String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
            if (m.contains("no space") || m.contains("disk is full") || m.contains("disk full") || m.contains("quota")
                    || m.contains("enospc")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** "a, b and c". */
    public static String list(Collection<String> items) {
        java.util.List<String> all = java.util.List.copyOf(items);
        if (all.size() <= 1) {
            return all.isEmpty() ? "nobody" : all.get(0);
        }
        return String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }

    /** "1.2 GiB". */
    public static String bytes(long bytes) {
        return io.lanspread.download.internal.store.Sizes.human(bytes);
    }
}
