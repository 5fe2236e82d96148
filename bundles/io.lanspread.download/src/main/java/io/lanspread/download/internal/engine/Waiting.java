package io.lanspread.download.internal.engine;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadState;
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
    /** The waiting epoch the timer belongs to, and when that wait began. */
    private long timedEpoch = -1;
    private long waitStartedNanos;
    /** Bumped each time the timer is set: an older one does nothing when it fires. */
    private long timerGeneration;

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

    /**
     * INTERRUPTED once the timeout passes since this wait began, unless the download left this wait (its waiting
     * epoch moved on) or the timer was set again ({@link #retime}).
     */
    void startTimer() {
        long epoch = download.lifecycle.waitingEpoch();
        long now = download.services.nanoClock().getAsLong();
        if (epoch != timedEpoch) {
            timedEpoch = epoch;
            waitStartedNanos = now;
        }
        long generation = ++timerGeneration;
        String why = download.lifecycle.notes().contains(Sentences.WAITING_FOR_PEERS) ? Sentences.WAITING_FOR_PEERS
                : Sentences.WAITING_FOR_HOLDERS;
        long timeoutMillis = download.settings.waitingTimeoutMillis();
        long leftMillis = Math.max(0, timeoutMillis - TimeUnit.NANOSECONDS.toMillis(now - waitStartedNanos));
        try {
            download.services.timer().schedule(() -> download.onSerial(() -> {
                if (generation != timerGeneration) {
                    return; // a newer timeout replaced this one
                }
                String interrupted = "No peer with this game came back within "
                        + TimeUnit.MILLISECONDS.toSeconds(timeoutMillis)
                        + " s; the verified data is kept, resume the download to try again.";
                if (!download.stopped && download.lifecycle.toInterrupted(epoch, interrupted, why)) {
                    download.lifecycle.unnote(Sentences.WAITING_FOR_HOLDERS);
                    download.lifecycle.unnote(Sentences.WAITING_FOR_PEERS);
                    LOG.info("download {} of {} is interrupted", download.id, download.gameId());
                    download.notifyProgress();
                }
            }), leftMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("timer stopped");
        }
    }

    /** The waiting timeout changed: a download waiting now is interrupted that long after its wait began. */
    void retime() {
        if (download.lifecycle.state() == DownloadState.WAITING && !download.lifecycle.ending()) {
            startTimer();
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
