package io.lanspread.download.internal.engine;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.download.internal.lifecycle.Sentences;

/**
 * WAITING and its timers: going to WAITING, the timeout after which a download that found no source is
 * INTERRUPTED, and the periodic recheck of the peer directory while it waits. Runs only on the download's
 * serial executor (the timer only hands work to it).
 */
final class Waiting {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);
    /** While WAITING, how often the peer directory is looked at again (events may have been missed). */
    private static final long WAITING_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final DownloadContext download;
    private long lastRecheckNanos;

    Waiting(DownloadContext download) {
        this.download = download;
    }

    void enter(String why) {
        if (download.lifecycle.toWaiting(why)) {
            LOG.info("download {} of {} is waiting: {}", download.id, download.gameId(), why);
            lastRecheckNanos = download.services.nanoClock().getAsLong();
            startTimer();
            download.notifyProgress();
        }
    }

    /** INTERRUPTED once the timeout passes, unless the download left this wait (its waiting epoch moved on). */
    void startTimer() {
        long epoch = download.lifecycle.waitingEpoch();
        String why = download.lifecycle.notes().contains(Sentences.WAITING_FOR_PEERS) ? Sentences.WAITING_FOR_PEERS
                : Sentences.WAITING_FOR_HOLDERS;
        long timeoutMillis = download.settings.waitingTimeoutMillis();
        try {
            download.services.timer().schedule(() -> download.onSerial(() -> {
                String interrupted = "No peer with this game came back within "
                        + TimeUnit.MILLISECONDS.toSeconds(timeoutMillis)
                        + " s; the verified data is kept, resume the download to try again.";
                if (!download.stopped && download.lifecycle.toInterrupted(epoch, interrupted, why)) {
                    download.lifecycle.unnote(Sentences.WAITING_FOR_HOLDERS);
                    download.lifecycle.unnote(Sentences.WAITING_FOR_PEERS);
                    LOG.info("download {} of {} is interrupted", download.id, download.gameId());
                    download.notifyProgress();
                }
            }), timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("timer stopped");
        }
    }

    /** While WAITING and not preparing: true once per recheck interval, time to look at the directory again. */
    boolean recheckDue() {
        long now = download.services.nanoClock().getAsLong();
        if (now - lastRecheckNanos > WAITING_RECHECK_NANOS) {
            lastRecheckNanos = download.services.nanoClock().getAsLong();
            return true;
        }
        return false;
    }
}
