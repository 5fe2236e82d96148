package io.lanspread.events.internal;

import java.util.List;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.LanspreadEvent;

/** Events for the tests. */
final class Events {

    private Events() {
    }

    static DownloadStatus status(String id, DownloadState state, long downloaded) {
        return new DownloadStatus(id, "game-" + id, "1", state, downloaded, 1_000_000, downloaded, 0, 0, 1, 1,
                List.of(), null);
    }

    static LanspreadEvent.DownloadProgress progress(String id, long downloaded) {
        return new LanspreadEvent.DownloadProgress(status(id, DownloadState.RUNNING, downloaded));
    }

    static LanspreadEvent.DownloadProgress progress(String id, DownloadState state, long downloaded) {
        return new LanspreadEvent.DownloadProgress(status(id, state, downloaded));
    }

    static LanspreadEvent.DownloadBegin begin(String id) {
        return new LanspreadEvent.DownloadBegin(status(id, DownloadState.RUNNING, 0));
    }

    static LanspreadEvent.DownloadFinished finished(String id) {
        return new LanspreadEvent.DownloadFinished(status(id, DownloadState.FINISHED, 1_000_000));
    }

    static LanspreadEvent.DownloadCancelled cancelled(String id) {
        return new LanspreadEvent.DownloadCancelled(status(id, DownloadState.CANCELLED, 0));
    }

    /** A numbered stand-in event: peer {@code p<n>} lost. */
    static LanspreadEvent.PeerLost lost(int n) {
        return new LanspreadEvent.PeerLost("p" + n, "peer " + n);
    }

    /** The runtime event a hub event reports. */
    static LanspreadEvent reported(HubEvent event) {
        if (event instanceof HubEvent.Reported r) {
            return r.event();
        }
        throw new AssertionError("not a reported event: " + event);
    }

    static long downloaded(HubEvent event) {
        LanspreadEvent e = reported(event);
        if (e instanceof LanspreadEvent.DownloadProgress p) {
            return p.status().downloadedBytes();
        }
        throw new AssertionError("not progress: " + e);
    }
}
