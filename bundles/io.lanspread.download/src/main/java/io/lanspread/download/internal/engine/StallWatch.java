package io.lanspread.download.internal.engine;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.download.internal.source.Source;

/**
 * Stalled sources: one that delivered nothing for the stall time while others deliver has its chunks
 * requested from others too, until it delivers again. Runs only on the download's serial executor.
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
        if (changed) {
            download.scheduler.sourcesChanged();
            download.scheduler.fill();
        }
    }

    /** The source delivers again (or nobody else does): its requests count as live again. */
    void unstall(Source source) {
        source.stalled(false);
        source.requests().forEach(i -> download.board.liveness(i, true));
        download.scheduler.sourcesChanged();
    }
}
