package io.lanspread.download.internal.planner;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.PeerSource;
import io.lanspread.api.download.SourceLoad;
import io.lanspread.download.internal.PlannerName;

/** Takes the acceptable sources in turn, ignoring load. Ranked below least-loaded; pin it to use it. */
@Component(name = "io.lanspread.download.planner.roundrobin", service = DownloadPlanner.class)
@PlannerName(RoundRobinPlanner.NAME)
@ServiceRanking(-10)
public class RoundRobinPlanner implements DownloadPlanner {
    public static final String NAME = "round-robin";

    private final AtomicLong turn = new AtomicLong();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<PeerSource> pick(Chunk chunk, List<SourceLoad> sources, Set<String> excluded) {
        List<PeerSource> candidates = sources.stream()
                .map(SourceLoad::source)
                .filter(source -> !excluded.contains(source.peerId()))
                .sorted(Comparator.comparing(PeerSource::peerId))
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.get((int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size())));
    }
}
