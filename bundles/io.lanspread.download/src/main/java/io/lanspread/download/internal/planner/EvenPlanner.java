package io.lanspread.download.internal.planner;

import java.util.Comparator;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerName;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

/**
 * The seed's behaviour: chunks spread evenly across the sources, in file order. Chunk {@code i} belongs to
 * the {@code i mod n}-th of the {@code n} sources that hold it (sorted by peer id); a source asks only for
 * its own stripe, so a slow source makes the whole download wait for its share. Ranked below the adaptive
 * planner; pin it with {@code planner.target=(lanspread.planner.name=even)}.
 */
@Component(name = "io.lanspread.download.planner.even", service = DownloadPlanner.class)
@PlannerName(EvenPlanner.NAME)
@ServiceRanking(0)
public class EvenPlanner implements DownloadPlanner {
    public static final String NAME = "even";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlannerSession open(PlanningContext context) {
        return new Session(context);
    }

    private static final class Session implements PlannerSession {
        private final PlanningContext context;
        private final OpenChunks open;

        Session(PlanningContext context) {
            this.context = context;
            this.open = new OpenChunks(context);
        }

        @Override
        public List<PlannedRequest> next(SourceView source, int room) {
            List<SourceView> sources = context.sources().stream()
                    .sorted(Comparator.comparing(SourceView::peerId)).toList();
            boolean allComplete = sources.stream().allMatch(SourceView::complete);
            List<Integer> mine = open.take(room, i -> source.has(i) && isOwner(sources, allComplete, i, source));
            return OpenChunks.requests(context, source, mine);
        }

        private static boolean isOwner(List<SourceView> sources, boolean allComplete, int index, SourceView source) {
            List<SourceView> holders = allComplete ? sources : sources.stream().filter(s -> s.has(index)).toList();
            return !holders.isEmpty() && holders.get(index % holders.size()).peerId().equals(source.peerId());
        }

        @Override
        public void chunkFailed(Chunk chunk, SourceView from) {
            open.reopened(chunk.index());
        }

        @Override
        public void sourcesChanged() {
            open.rewind();
        }
    }
}
