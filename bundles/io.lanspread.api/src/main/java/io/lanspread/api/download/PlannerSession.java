package io.lanspread.api.download;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A planner's state for one download. Every method is called on the download's own serial executor,
 * never concurrently and never on a network thread; none may block.
 */
@ConsumerType
public interface PlannerSession {

    /**
     * The next requests for {@code source}, which has room for {@code room} more chunks now. Each request
     * names this source and one or more chunks (consecutive chunks of one file may go in one request).
     * The manager skips chunks that are done, that the source does not hold, or that are already in flight
     * from this source; a chunk in flight from another source is requested again (endgame: the first
     * verified copy wins and the other requests are cancelled). Returning nothing leaves the source idle
     * until the next event (a chunk done or failed, a source added or removed).
     */
    List<PlannedRequest> next(SourceView source, int room);

    /** A chunk passed verification and was written. */
    default void chunkDone(Chunk chunk, SourceView from) {
    }

    /** A request for a chunk failed, or its bytes did not match the manifest. */
    default void chunkFailed(Chunk chunk, SourceView from) {
    }

    /** Sources were added or removed; {@link PlanningContext#sources()} has the new set. */
    default void sourcesChanged() {
    }

    /** The session is no longer used (download ended, or another planner took over). */
    default void close() {
    }
}
