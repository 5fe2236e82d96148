package io.lanspread.download.internal.engine;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadState;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.store.DownloadStore;

/**
 * Has the store make written chunks durable in batches between the commits it runs by itself (when enough
 * bytes wait): on the progress tick once a batch is due by age, and whatever waits while the download is
 * paused (WAITING, INTERRUPTED). A commit runs on a worker and counts as a write under way, so an end waits
 * for it; a failed commit fails the download as a failed write does. A FINISHED download's install commits
 * the rest, {@link DownloadStore#close()} does on a stop. Runs only on the download's serial executor.
 */
final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext download;
    private final Ending ending;
    private boolean running;

    GroupCommit(DownloadContext download, Ending ending) {
        this.download = download;
        this.ending = ending;
    }

    /** On the tick: commits when a batch is due, or anything that waits while paused. */
    void onTick() {
        DownloadStore store = download.store;
        if (store == null || running || download.stopped || download.lifecycle.ending()) {
            return;
        }
        DownloadState state = download.lifecycle.state();
        boolean paused = state == DownloadState.WAITING || state == DownloadState.INTERRUPTED;
        if (paused ? store.uncommitted() : store.commitDue()) {
            start(store);
        }
    }

    private void start(DownloadStore store) {
        running = true;
        download.writesInFlight++;
        boolean started = download.onWorker(() -> {
            Exception failure = null;
            try {
                store.commit();
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            Exception why = failure;
            download.onSerial(() -> committed(why));
        });
        if (!started) {
            running = false;
            download.writesInFlight--;
        }
    }

    private void committed(Exception failure) {
        running = false;
        download.writesInFlight--;
        if (failure != null && !download.stopped && !download.lifecycle.ending()) {
            LOG.warn("download {}: making the written chunks durable failed", download.id, failure);
            ending.endWith(DownloadState.FAILED, Sentences.diskFailure(failure, "saving the downloaded data"));
        }
        ending.maybeComplete();
    }
}
