package io.lanspread.download.internal.engine;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.download.internal.share.StagedCopy;

/**
 * Done chunks that the shared copy found bad in staging when it read them for another peer (a disk that
 * changed them after they were verified): the store no longer counts them done, and this opens them again on
 * the board so they are fetched anew. Reported from any thread, taken back on the serial executor.
 */
final class BadStagedChunks {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext download;
    private final ConcurrentLinkedQueue<Integer> reported = new ConcurrentLinkedQueue<>();
    /** A chunk was found bad since staging was last hashed again in full: more may be, unread so far. */
    private volatile boolean suspect;

    BadStagedChunks(DownloadContext download) {
        this.download = download;
    }

    /** Shares the store's verified chunks with other peers, bad ones reported here. */
    StagedCopy share() {
        return new StagedCopy(download.store, download.layout, index -> {
            report(index);
            download.onSerial(() -> {
                if (takeBack() && download.scheduler != null && !download.lifecycle.ending()) {
                    download.scheduler.fill();
                }
            });
        });
    }

    void report(int index) {
        reported.add(index);
        suspect = true;
    }

    /** Whether staging must be hashed again in full before the download installs. */
    boolean suspect() {
        return suspect;
    }

    /** Staging is being hashed again in full: what that finds is reported; what is found later sets it again. */
    void rechecking() {
        suspect = false;
    }

    /**
     * Opens the reported chunks again on the board. Serial executor only.
     *
     * @return whether a chunk the board had done was opened again
     */
    boolean takeBack() {
        boolean any = false;
        for (Integer index = reported.poll(); index != null; index = reported.poll()) {
            if (download.board != null && download.board.lost(index)) {
                download.doneBytes -= download.layout.chunk(index).length();
                any = true;
                LOG.warn("download {}: chunk {} was found bad in staging; it is fetched again", download.id, index);
            }
        }
        if (any && download.scheduler != null) {
            download.scheduler.sourcesChanged(); // no planner event says "done chunk open again": let them rescan
        }
        return any;
    }
}
