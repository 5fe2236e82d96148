package org.example.lanspread.extras.minimal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlannerName;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;

/** Every source with room gets the next chunks it holds that nobody is fetching yet, in file order. */
@Component(service = DownloadPlanner.class, property = "service.ranking:Integer=50")
@PlannerName("first-fit")
public class FirstFitPlanner implements DownloadPlanner {

    @Override
    public String name() {
        return "first-fit";
    }

    @Override
    public PlannerSession open(PlanningContext download) {
        // next() is the only method a session must have; the others (chunkDone, sourcesChanged, ...) are defaults
        return (source, room) -> {
            List<PlannedRequest> requests = new ArrayList<>();
            for (int i = 0; i < download.chunkCount() && requests.size() < room; i++) {
                if (!download.isDone(i) && download.inFlight(i) == 0 && source.has(i)) {
                    requests.add(PlannedRequest.of(source, i));
                }
            }
            return requests; // empty: this source idles until a chunk ends or the sources change
        };
    }
}
