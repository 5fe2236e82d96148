package io.lanspread.api.download;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told how one download goes. Called on the manager's threads; must not block. Progress comes at most
 * every 500 ms; exactly one of finished, failed or cancelled ends a download.
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
