package io.lanspread.api.download;

/**
 * Where a download stands.
 *
 * <pre>
 *   RUNNING  -- every source gone -------------> WAITING
 *   WAITING  -- a holder of the content is back -> RUNNING
 *   WAITING  -- no source for the waiting time -> INTERRUPTED (verified data kept)
 *   INTERRUPTED -- resume -----------------------> RUNNING or WAITING
 *   RUNNING  -- every chunk verified, swapped in -> FINISHED
 *   any but ended -- unrecoverable --------------> FAILED (staging deleted)
 *   any but ended -- cancel ---------------------> CANCELLED (staging deleted)
 * </pre>
 *
 * A download survives a restart of the peer in RUNNING, WAITING and INTERRUPTED: it continues under the
 * same id without refetching a verified chunk.
 */
public enum DownloadState {
    /** Fetching chunks (or preparing: asking the holders for their manifests, reusing local data). */
    RUNNING,
    /** No peer that holds the chosen content is reachable; continues by itself when one comes back. */
    WAITING,
    /** Waited too long for a source; the verified data is kept and the download resumes on request. */
    INTERRUPTED,
    /** Complete, verified and installed. */
    FINISHED,
    /** Ended without installing anything; {@link DownloadStatus#error()} says why. */
    FAILED,
    /** Cancelled by the user; what it had written is deleted. */
    CANCELLED;

    /** FINISHED, FAILED or CANCELLED: nothing more happens to the download. */
    public boolean ended() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }
}
