package io.lanspread.download.internal.engine;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.download.internal.source.Source;

/**
 * Stalled sources: one that delivered nothing for the stall time while others deliver has its chunks
 * requested from others too, until it delivers again. Overdue requests: a chunk a working source has passed
 * by (a later request answered, this one silent for long) is asked for again, of any source, that one
 * included, instead of waiting for the transport's chunk timeout. Runs only on the download's serial executor.
 */
final class StallWatch {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext download;

    StallWatch(DownloadContext download) {
        this.download = download;
    }

    void detectStalls() {
        if (download.scheduler == null || download.lifecycle.ending() || download.sources.isEmpty()) {
            return;
        }
        long now = download.services.nanoClock().getAsLong();
        long stallMillis = download.settings.stallMillis();
        long stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        boolean changed = false;
        for (Source source : download.sources.all()) {
            boolean othersDeliver = download.sources.all().stream().anyMatch(other -> other != source
                    && other.lastDeliveryNanos() >= 0 && now - other.lastDeliveryNanos() < stallNanos);
            if (source.stalled()) {
                if (!othersDeliver) {
                    unstall(source); // nobody else delivers either: it is as good a source as any
                    changed = true;
                }
                continue;
            }
            if (source.inFlight() == 0 || source.idleMillis() < stallMillis) {
                continue;
            }
            if (othersDeliver) {
                LOG.info("download {}: source {} delivered nothing for {} ms; its {} chunk(s) go to others too",
                        download.id, source.peerId(), source.idleMillis(), source.inFlight());
                source.stalled(true);
                source.requests().forEach(i -> download.board.liveness(i, false));
                changed = true;
            }
        }
        changed |= giveUpOverdue(stallMillis);
        if (changed) {
            download.scheduler.sourcesChanged();
            download.scheduler.fill();
        }
    }

    /**
     * Ends the requests a working source has passed by: asked for at least twice the stall time ago, and four
     * times as long as the source's current speed needs for everything in flight there. Their late answers,
     * if any, are dropped (the request tokens no longer match).
     *
     * @return whether any request was given up
     */
    private boolean giveUpOverdue(long stallMillis) {
        if (download.layout == null) {
            return false;
        }
        boolean changed = false;
        long chunkBytes = download.layout.manifest().chunkSize();
        for (Source source : download.sources.all()) {
            if (source.stalled() || source.inFlight() == 0) {
                continue;
            }
            long ageNanos = TimeUnit.MILLISECONDS.toNanos(2 * stallMillis);
            long rate = source.bytesPerSecond();
            if (rate > 0) {
                ageNanos = Math.max(ageNanos, 4 * source.inFlight() * chunkBytes * 1_000_000_000L / rate);
            }
            for (int index : source.overdue(ageNanos)) {
                LOG.info("download {}: chunk {} asked of {} is overdue (later requests were answered); asked again",
                        download.id, index, source.peerId());
                source.endRequest(index);
                download.board.requestEnded(index, true);
                changed = true;
            }
        }
        return changed;
    }

    /** The source delivers again (or nobody else does): its requests count as live again. */
    void unstall(Source source) {
        source.stalled(false);
        source.requests().forEach(i -> download.board.liveness(i, true));
        download.scheduler.sourcesChanged();
    }
}
