package io.lanspread.download.internal.planner;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.PeerSource;
import io.lanspread.api.download.SourceLoad;
import io.lanspread.download.internal.PlannerName;

/**
 * The default planner: the acceptable source with the fewest bytes in flight; ties go to the source that
 * delivered most, then to the one that failed least, then by peer id.
 */
@Component(name = "io.lanspread.download.planner.leastloaded", service = DownloadPlanner.class)
@PlannerName(LeastLoadedPlanner.NAME)
@ServiceRanking(0)
public class LeastLoadedPlanner implements DownloadPlanner {
    public static final String NAME = "least-loaded";

    private static final Comparator<SourceLoad> ORDER = Comparator.comparingLong(SourceLoad::inFlightBytes)
            .thenComparing(Comparator.comparingLong(SourceLoad::doneBytes).reversed())
            .thenComparingInt(SourceLoad::failures)
            .thenComparing(load -> load.source().peerId());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<PeerSource> pick(Chunk chunk, List<SourceLoad> sources, Set<String> excluded) {
        return sources.stream()
                .filter(load -> !excluded.contains(load.source().peerId()))
                .min(ORDER)
                .map(SourceLoad::source);
    }
}
