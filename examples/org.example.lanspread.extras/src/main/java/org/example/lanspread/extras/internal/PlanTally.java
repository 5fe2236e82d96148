package org.example.lanspread.extras.internal;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the planner planned, per download: requests, chunks and endgame copies. Logged when a download's first
 * request is planned and when its session closes, so an operator (and a test) can see that the planner is in
 * charge. Sessions of different downloads run on different threads, hence the concurrent map.
 */
final class PlanTally {

    /** Counts of one session; written by its download's serial executor only. */
    static final class Counts {
        volatile long requests;
        volatile long chunks;
        volatile long copies;
    }

    private static final System.Logger LOG = System.getLogger(PlanTally.class.getName());

    private final String planner;
    private final Map<String, Counts> sessions = new ConcurrentHashMap<>();

    PlanTally(String planner) {
        this.planner = planner;
    }

    void opened(String downloadId) {
        sessions.put(downloadId, new Counts());
    }

    void planned(String downloadId, String peerId, int requests, int chunks, boolean endgame) {
        if (requests == 0) {
            return;
        }
        Counts c = sessions.computeIfAbsent(downloadId, id -> new Counts());
        if (c.requests == 0) {
            LOG.log(Level.INFO, () -> String.format("%s planned its first request of download %s: %d chunks from %s",
                    planner, downloadId, chunks, peerId));
        }
        c.requests += requests;
        c.chunks += chunks;
        if (endgame) {
            c.copies += chunks;
        }
    }

    void closed(String downloadId) {
        Counts c = sessions.remove(downloadId);
        if (c != null) {
            LOG.log(Level.INFO, () -> String.format("%s planned %d requests (%d chunks, %d of them endgame copies)"
                    + " for download %s", planner, c.requests, c.chunks, c.copies, downloadId));
        }
    }

    /** The counts of a download's open session, for tests. */
    Counts of(String downloadId) {
        return sessions.get(downloadId);
    }
}
