package io.lanspread.download.internal.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import io.lanspread.api.download.PlannedRequest;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

/**
 * Walks a download's open chunks (neither done nor in flight) in file order without rescanning from the
 * start every time: a cursor skips what is settled and moves back when a chunk opens again.
 */
final class OpenChunks {
    private final PlanningContext context;
    private int first;

    OpenChunks(PlanningContext context) {
        this.context = context;
    }

    boolean isOpen(int index) {
        return !context.isDone(index) && context.inFlight(index) == 0;
    }

    /** A chunk may be open again (it failed, or its source left or stalled). */
    void reopened(int index) {
        first = Math.min(first, index);
    }

    void rewind() {
        first = 0;
    }

    /** Up to {@code max} open chunks in file order that {@code take} accepts. */
    List<Integer> take(int max, IntPredicate take) {
        int count = context.chunkCount();
        while (first < count && !isOpen(first)) {
            first++;
        }
        List<Integer> taken = new ArrayList<>(max);
        for (int i = first; i < count && taken.size() < max; i++) {
            if (isOpen(i) && take.test(i)) {
                taken.add(i);
            }
        }
        return taken;
    }

    /** Groups chunks into requests: consecutive chunks of one file go in one request. */
    static List<PlannedRequest> requests(PlanningContext context, SourceView source, List<Integer> chunks) {
        List<PlannedRequest> requests = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        for (Integer index : chunks) {
            if (!run.isEmpty()) {
                int last = run.get(run.size() - 1);
                if (index != last + 1 || !context.chunk(index).path().equals(context.chunk(last).path())) {
                    requests.add(new PlannedRequest(source.peerId(), run));
                    run = new ArrayList<>();
                }
            }
            run.add(index);
        }
        if (!run.isEmpty()) {
            requests.add(new PlannedRequest(source.peerId(), run));
        }
        return requests;
    }
}
