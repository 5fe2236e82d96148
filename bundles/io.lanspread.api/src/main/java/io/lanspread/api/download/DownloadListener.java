package io.lanspread.api.download;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as a service to be told how downloads go (whiteboard: downloads resumed after a restart are
 * reported too). Called on the manager's own thread, in order per download; must not block. Progress
 * comes at most every progress interval (500 ms), and at once when the state changes between RUNNING,
 * WAITING and INTERRUPTED; exactly one of finished, failed or cancelled ends a download.
 */
@ConsumerType
public interface DownloadListener {

    default void begin(DownloadStatus status) {
    }

    default void progress(DownloadStatus status) {
    }

    default void finished(DownloadStatus status) {
    }

    default void failed(DownloadStatus status) {
    }

    default void cancelled(DownloadStatus status) {
    }
}
