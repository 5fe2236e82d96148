package io.lanspread.api.download;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a planner session sees of its download. Live: every call answers from the current state. Read it
 * only from the session's own calls (the download's serial executor).
 */
@ProviderType
public interface PlanningContext {

    String downloadId();

    String gameId();

    /** Number of chunks in the download. */
    int chunkCount();

    /** Chunk {@code index}. */
    Chunk chunk(int index);

    /** Whether chunk {@code index} has been verified and written (or reused). */
    boolean isDone(int index);

    /** How many requests for chunk {@code index} are in flight now. */
    int inFlight(int index);

    /** Chunks neither done nor in flight. */
    int unrequested();

    /** Chunks not done yet. */
    int remaining();

    /**
     * Where in chunk order this download prefers to start (0 … {@link #chunkCount()} - 1), going on from there and
     * wrapping around. Downloads of the same game on several peers start at different places, so that they soon
     * hold chunks the others lack and can trade them (swarming); 0 means plain file order.
     */
    default int startChunk() {
        return 0;
    }

    /** The sources that may be asked now. */
    List<SourceView> sources();

    Optional<SourceView> source(String peerId);
}
