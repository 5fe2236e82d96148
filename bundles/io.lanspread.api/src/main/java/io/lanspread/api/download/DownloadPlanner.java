package io.lanspread.api.download;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Spreads chunks over the peers that have a game. The download manager asks for a source each time it
 * dispatches a chunk, so a planner sees live load and can favour fast peers. Planners are services; the
 * manager uses the highest-ranked one unless its {@code planner.target} configuration names another.
 *
 * <p>Register with the service property {@value #NAME_PROPERTY}.
 */
@ConsumerType
public interface DownloadPlanner {

    String NAME_PROPERTY = "lanspread.planner.name";

    String name();

    /** The order in which chunks are first dispatched; by default the given order. */
    default List<Chunk> order(List<Chunk> chunks) {
        return chunks;
    }

    /**
     * The source for the next attempt at {@code chunk}, chosen among {@code sources} whose peer id is not
     * in {@code excluded} (peers that already failed this chunk). Empty when none is acceptable.
     */
    Optional<PeerSource> pick(Chunk chunk, List<SourceLoad> sources, Set<String> excluded);
}
