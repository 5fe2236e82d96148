package io.lanspread.download.internal.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.lanspread.api.download.DownloadState;

/**
 * Where one download stands and the sentences worth showing about it. Enforces the transitions of
 * {@link DownloadState}: RUNNING and WAITING go back and forth, WAITING times out to INTERRUPTED, which
 * resumes to WAITING; each of them may end (FINISHED only from RUNNING); an ended download never changes.
 * An end is claimed first ({@link #claimEnd}) and completed once the store work is over, so that a second
 * end (a cancel racing a failure) is refused. Confined to the download's serial executor.
 */
public final class Lifecycle {
    private static final int MAX_NOTES = 20;

    private DownloadState state;
    private DownloadState claimedEnd;
    private String error;
    private final Set<String> notes = new LinkedHashSet<>();
    /** Grows on every move into WAITING, so that a stale waiting timer does nothing. */
    private long waitingEpoch;

    public Lifecycle(DownloadState initial) {
        this.state = initial;
    }

    public DownloadState state() {
        return state;
    }

    public String error() {
        return error;
    }

    public List<String> notes() {
        return new ArrayList<>(notes);
    }

    public void note(String sentence) {
        if (notes.size() < MAX_NOTES || notes.contains(sentence)) {
            notes.add(sentence);
        }
    }

    public void unnote(String sentence) {
        notes.remove(sentence);
    }

    public long waitingEpoch() {
        return waitingEpoch;
    }

    /** Ended, or an end is under way: nothing new starts. */
    public boolean ending() {
        return claimedEnd != null || state.ended();
    }

    /** RUNNING -> WAITING, INTERRUPTED -> WAITING. Returns whether the state changed. */
    public boolean toWaiting(String why) {
        if (ending() || state == DownloadState.WAITING) {
            return false;
        }
        state = DownloadState.WAITING;
        waitingEpoch++;
        note(why);
        return true;
    }

    /** WAITING -> RUNNING (a source came back). */
    public boolean toRunning(String waitingNote) {
        if (ending() || state != DownloadState.WAITING) {
            return false;
        }
        state = DownloadState.RUNNING;
        unnote(waitingNote);
        return true;
    }

    /** WAITING -> INTERRUPTED, when the waiting that started at {@code epoch} is still going on. */
    public boolean toInterrupted(long epoch, String why, String waitingNote) {
        if (ending() || state != DownloadState.WAITING || epoch != waitingEpoch) {
            return false;
        }
        state = DownloadState.INTERRUPTED;
        unnote(waitingNote);
        note(why);
        return true;
    }

    /** Claims the end; false when another end was claimed first or the download already ended. */
    public boolean claimEnd(DownloadState end, String error) {
        if (!end.ended()) {
            throw new IllegalArgumentException(end + " is not an end");
        }
        if (ending()) {
            return false;
        }
        claimedEnd = end;
        this.error = end == DownloadState.FAILED ? error : null;
        return true;
    }

    public DownloadState claimedEnd() {
        return claimedEnd;
    }

    /** The claimed end happened (or turned into a failure: the install failed, say). */
    public void ended(DownloadState end, String error) {
        state = end;
        this.error = end == DownloadState.FAILED ? error : null;
    }
}
