package io.lanspread.catalog.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which observed games are listed: a game is listed once the same tree has been observed across
 * at least the quiet period (no file added, removed, resized or touched) and its manifest for that tree
 * is complete, or when the manifest cache says exactly this tree was listed before. A changed tree
 * withdraws the game until both hold again. Pure bookkeeping on caller-supplied nanos; not thread-safe
 * (the library calls it under its own lock).
 */
final class ListingGate {

    /** Work the caller must start after a call: hash jobs and fresh looks at games once they may be quiet. */
    record Work(Map<String, ServedGame> listed, List<ScannedGame> toHash, Map<String, Long> recheckAtNanos,
                List<String> vanished, List<ScannedGame> newlyListed) {
    }

    private static final class Tracked {
        ScannedGame seen;
        long firstSeen;
        long lastSeen;
        HashResult hashed; // for seen, or null while hashing
        boolean recheckScheduled;
    }

    private final Map<String, Tracked> tracked = new HashMap<>();
    private final List<ScannedGame> toHash = new ArrayList<>();
    private final List<String> vanished = new ArrayList<>();
    private final Map<String, ServedGame> wasListed = new HashMap<>();
    private Path gamesDir;
    private long quietNanos;

    ListingGate(Path gamesDir, long quietNanos) {
        this.gamesDir = gamesDir;
        this.quietNanos = Math.max(0, quietNanos);
    }

    Path gamesDir() {
        return gamesDir;
    }

    void setQuietNanos(long nanos) {
        quietNanos = Math.max(0, nanos);
    }

    /** Another game directory: everything known so far is forgotten. */
    void moveTo(Path dir) {
        if (!dir.equals(gamesDir)) {
            gamesDir = dir;
            tracked.clear();
        }
    }

    /**
     * Takes in one scan's result.
     *
     * @param startedNanos when the scan began; a game it did not see is dropped only if it was last seen
     *                     before that (a slower, older scan must not drop a game a newer one found)
     */
    void observe(Path dir, List<ScannedGame> games, long startedNanos) {
        if (!dir.equals(gamesDir)) {
            return; // a scan of the previous game directory finishing late
        }
        Map<String, ScannedGame> byId = new HashMap<>();
        for (ScannedGame game : games) {
            byId.put(game.id(), game);
            Tracked t = tracked.get(game.id());
            if (t == null) {
                t = new Tracked();
                tracked.put(game.id(), t);
                changed(t, game);
            } else if (game.sameAs(t.seen)) {
                t.lastSeen = Math.max(t.lastSeen, game.observedNanos());
                if (t.hashed != null && t.hashed.unstable()) {
                    t.hashed = null; // the files changed while hashing and changed back: hash again
                    toHash.add(t.seen);
                }
            } else if (game.observedNanos() - t.lastSeen >= 0) {
                changed(t, game);
            }
        }
        for (Iterator<Map.Entry<String, Tracked>> it = tracked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Tracked> entry = it.next();
            if (!byId.containsKey(entry.getKey()) && startedNanos - entry.getValue().lastSeen > 0) {
                it.remove();
                vanished.add(entry.getKey());
            }
        }
    }

    private void changed(Tracked t, ScannedGame game) {
        t.seen = game;
        t.firstSeen = game.observedNanos();
        t.lastSeen = game.observedNanos();
        t.hashed = null;
        t.recheckScheduled = false;
        toHash.add(game);
    }

    /** Whether a queued hash job is still wanted (its observation is the current one). */
    boolean isCurrent(Path dir, ScannedGame game) {
        Tracked t = tracked.get(game.id());
        return dir.equals(gamesDir) && t != null && t.seen == game && t.hashed == null;
    }

    void hashed(HashResult result) {
        Tracked t = tracked.get(result.scanned().id());
        if (result.gamesDir().equals(gamesDir) && t != null && t.seen == result.scanned()) {
            t.hashed = result;
        }
    }

    /** The games listed now, by id; a game whose manifest did not change keeps its instance. */
    private Map<String, ServedGame> listed() {
        Map<String, ServedGame> listed = new TreeMap<>();
        for (Map.Entry<String, Tracked> entry : tracked.entrySet()) {
            Tracked t = entry.getValue();
            if (t.hashed != null && t.hashed.manifest() != null
                    && (t.hashed.servedBefore() || t.lastSeen - t.firstSeen >= quietNanos)) {
                ServedGame previous = wasListed.get(entry.getKey());
                boolean same = previous != null && previous.manifest() == t.hashed.manifest();
                listed.put(entry.getKey(), same ? previous : ServedGame.of(t.seen, t.hashed.manifest()));
            }
        }
        return Collections.unmodifiableMap(listed);
    }

    /** The games listed now and the work that the calls since the last one made necessary. */
    Work takeWork() {
        Map<String, Long> rechecks = new HashMap<>();
        for (Map.Entry<String, Tracked> entry : tracked.entrySet()) {
            Tracked t = entry.getValue();
            boolean hashFailed = t.hashed != null && t.hashed.manifest() == null && !t.hashed.unstable();
            if (!t.recheckScheduled && !hashFailed && t.lastSeen - t.firstSeen < quietNanos
                    && (t.hashed == null || !t.hashed.servedBefore())) {
                t.recheckScheduled = true;
                rechecks.put(entry.getKey(), t.firstSeen + quietNanos);
            }
        }
        Map<String, ServedGame> listed = listed();
        List<ScannedGame> newlyListed = new ArrayList<>();
        for (Map.Entry<String, ServedGame> entry : listed.entrySet()) {
            if (wasListed.get(entry.getKey()) != entry.getValue()) {
                newlyListed.add(tracked.get(entry.getKey()).seen);
            }
        }
        wasListed.clear();
        wasListed.putAll(listed);
        Work work = new Work(listed, List.copyOf(toHash), rechecks, List.copyOf(vanished), newlyListed);
        toHash.clear();
        vanished.clear();
        return work;
    }

    /** Nothing waits: every game is listed or cannot be (unreadable), and no hash is pending. */
    boolean settled() {
        for (Tracked t : tracked.values()) {
            if (t.hashed == null || t.hashed.unstable()) {
                return false;
            }
            if (t.hashed.manifest() != null && !t.hashed.servedBefore() && t.lastSeen - t.firstSeen < quietNanos) {
                return false;
            }
        }
        return true;
    }
}
