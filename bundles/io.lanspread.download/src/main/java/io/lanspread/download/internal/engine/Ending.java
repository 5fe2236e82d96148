package io.lanspread.download.internal.engine;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.store.DownloadStore;

/**
 * How a download ends: FINISHED installs the store; any other end (failed, cancelled) discards it once no
 * write is under way; then the final status is told and {@link #future()} completes. Runs only on the
 * download's serial executor (the store work runs on a worker and hands back to it).
 */
final class Ending {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext download;
    private final SourceKeeper sources;
    private final CompletableFuture<DownloadStatus> end = new CompletableFuture<>();
    private boolean underWay;

    Ending(DownloadContext download, SourceKeeper sources) {
        this.download = download;
        this.sources = sources;
    }

    /** Completes with the final status once the download ended. */
    CompletableFuture<DownloadStatus> future() {
        return end;
    }

    /** Every chunk is written: the store is installed and the library rescanned. */
    void finish() {
        if (download.lifecycle.ending()) {
            return;
        }
        boolean shared = download.shared != null;
        download.unshare(); // waits for the reads under way: no chunk is found bad after this
        if (download.badChunks.takeBack()) {
            fetchAgain(shared);
            return;
        }
        if (download.badChunks.suspect()) {
            recheck(shared);
            return;
        }
        if (!download.lifecycle.claimEnd(DownloadState.FINISHED, null)) {
            return;
        }
        underWay = true;
        download.scheduler.close();
        sources.clearRequests();
        DownloadStore target = download.store;
        download.onWorker(() -> {
            String failure = null;
            try {
                target.install();
                download.services.library().rescan();
            } catch (IOException | RuntimeException e) {
                LOG.warn("download {}: installing {} failed", download.id, download.gameId(), e);
                failure = Sentences.diskFailure(e, "installing the game");
                target.discard();
            }
            String why = failure;
            download.onSerial(() -> complete(why == null ? DownloadState.FINISHED : DownloadState.FAILED, why));
        });
    }

    /** Chunks found bad in staging were opened again: they are fetched anew (and shared again), never installed. */
    private void fetchAgain(boolean shared) {
        if (shared) {
            download.shared = download.badChunks.share();
        }
        download.scheduler.fill();
    }

    /**
     * Staging changed behind the download's back (a chunk was found bad when read for another peer): every done
     * chunk is hashed again before it installs, since others may have changed too without being asked for.
     */
    private void recheck(boolean shared) {
        download.badChunks.rechecking();
        DownloadStore target = download.store;
        download.writesInFlight++; // an end claimed meanwhile waits for it
        LOG.info("download {}: hashing the staged copy again before installing, as a chunk was found changed on disk",
                download.id);
        boolean started = download.onWorker(() -> {
            Exception failure = null;
            java.util.BitSet bad = new java.util.BitSet();
            try {
                bad = target.recheck();
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            java.util.BitSet found = bad;
            Exception why = failure;
            download.onSerial(() -> rechecked(found, why, shared));
        });
        if (!started) {
            download.writesInFlight--;
        }
    }

    private void rechecked(java.util.BitSet bad, Exception failure, boolean shared) {
        download.writesInFlight--;
        if (download.stopped || download.lifecycle.ending()) {
            maybeComplete();
            return;
        }
        if (failure != null) {
            LOG.warn("download {}: hashing the staged copy again failed", download.id, failure);
            endWith(DownloadState.FAILED, Sentences.diskFailure(failure, "checking the downloaded files"));
            return;
        }
        bad.stream().forEach(download.badChunks::report);
        download.badChunks.rechecking(); // these are known now; nothing else is suspect
        if (download.badChunks.takeBack()) {
            LOG.warn("download {}: {} more chunk(s) changed on disk; they are fetched again", download.id,
                    bad.cardinality());
            fetchAgain(shared);
        } else {
            finish();
        }
    }

    /** Claims an end other than FINISHED; the store work follows once no write is under way. */
    boolean endWith(DownloadState state, String error) {
        if (download.stopped || !download.lifecycle.claimEnd(state, error)) {
            return false;
        }
        if (state == DownloadState.FAILED) {
            LOG.warn("download {} of {} failed: {}", download.id, download.gameId(), error);
        }
        download.cancelRequested = true;
        download.unshare();
        if (download.scheduler != null) {
            download.scheduler.close();
        }
        sources.clearRequests();
        maybeComplete();
        return true;
    }

    /** After a claimed end other than FINISHED, once the last write is back: discards what was written. */
    void maybeComplete() {
        DownloadState claimed = download.lifecycle.claimedEnd();
        if (claimed == null || claimed == DownloadState.FINISHED || underWay || download.writesInFlight > 0
                || download.stopped) {
            return;
        }
        underWay = true;
        DownloadStore target = download.store;
        download.onWorker(() -> {
            try {
                if (target != null) {
                    target.discard();
                } else {
                    download.services.stores().forget(download.id);
                }
            } catch (RuntimeException e) {
                LOG.warn("download {}: cleaning up failed", download.id, e);
            }
            download.onSerial(() -> complete(claimed, download.lifecycle.error()));
        });
    }

    private void complete(DownloadState state, String error) {
        download.loans.refuseNew(); // late copies are released as they come, unverified
        download.services.reservations().release(download.id);
        download.lifecycle.ended(state, error);
        download.store = null;
        if (state == DownloadState.FINISHED && LOG.isInfoEnabled()) {
            LOG.info("download {}: MiB from each source still there at the end: {}", download.id,
                    download.sources.all().stream().map(s -> HolderQuery.name(s.peer()) + (s.partial() ? " (partial) " : " ")
                            + s.deliveredBytes() / (1024 * 1024)).toList());
        }
        download.sources.all().clear();
        download.publish();
        LOG.info("download {} of {} ended: {}", download.id, download.gameId(), state);
        download.notifyEnded();
        end.complete(download.snapshot());
    }
}
