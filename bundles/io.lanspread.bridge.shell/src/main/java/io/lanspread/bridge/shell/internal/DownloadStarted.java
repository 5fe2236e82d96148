package io.lanspread.bridge.shell.internal;

import io.lanspread.api.download.DownloadStatus;

/** What {@code lanspread:download} answers: the download it started. */
public record DownloadStarted(DownloadStatus status) {

    @Override
    public String toString() {
        return "Download " + status.id() + " of " + status.gameId() + " started (" + status.state().name()
                + "); lanspread:downloads shows its progress, lanspread:cancel " + status.id() + " stops it.";
    }
}
