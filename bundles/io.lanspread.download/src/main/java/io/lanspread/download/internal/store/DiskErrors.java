package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Turns file-system failures into sentences a user can act on. */
final class DiskErrors {
    private DiskErrors() {
    }

    /** Whether {@code e} says the disk (or the user's quota) is full. */
    static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
            if (message == null && t instanceof FileSystemException) {
                message = t.getMessage();
            }
            if (message != null) {
                String m = message.toLowerCase(Locale.ROOT);
                if (m.contains("no space left") || m.contains("not enough space") || m.contains("enospc")
                        || m.contains("disk quota exceeded")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "the disk is full: could not write … (… free)" or "could not write …: <reason>". */
    static IOException writeFailed(String what, Path where, IOException e) {
        if (isDiskFull(e)) {
            return new IOException("the disk is full: could not write " + what + " (" + free(where) + ")", e);
        }
        return new IOException("could not write " + what + " in " + where + ": " + reason(e), e);
    }

    static String reason(IOException e) {
        return e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : String.valueOf(e.getMessage());
    }

    private static String free(Path where) {
        try {
            Path existing = where;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing == null ? "free space unknown"
                    : Sizes.bytes(Files.getFileStore(existing).getUsableSpace()) + " free on that disk";
        } catch (IOException ignored) {
            return "free space unknown";
        }
    }
}
