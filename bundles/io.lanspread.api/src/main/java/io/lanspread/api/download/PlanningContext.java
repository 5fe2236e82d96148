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

    /** The sources that may be asked now. */
    List<SourceView> sources();

    Optional<SourceView> source(String peerId);
}
