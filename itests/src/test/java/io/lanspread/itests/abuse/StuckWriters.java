package io.lanspread.itests.abuse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Clients whose requests never arrive: streams that carry half a {@code getGame} frame and no FIN. The
 * peer is documented to refuse them ({@code BAD_REQUEST}) once its request timeout passes (10 s); this
 * records how each ended and after how long.
 */
final class StuckWriters {

    private final int streams;
    private final List<CompletableFuture<WireResponse>> answers = new ArrayList<>();
    private final List<Long> endedMillis = Collections.synchronizedList(new ArrayList<>());
    private long startedNanos;

    StuckWriters(int streams) {
        this.streams = streams;
    }

    void start(List<WireConnection> conns) {
        startedNanos = System.nanoTime();
        for (WireConnection c : conns) {
            for (int i = 0; i < streams; i++) {
                // the game asked for does not matter: the request never arrives
                CompletableFuture<WireResponse> a = c.halfSend(WireFrames.getGame("any"), 12);
                a.thenRun(() -> endedMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)));
                answers.add(a);
            }
        }
    }

    /** Waits until every stream ended, or {@code seconds} passed since they were opened. */
    void awaitEnded(int seconds) throws InterruptedException {
        long deadline = startedNanos + TimeUnit.SECONDS.toNanos(seconds);
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the summary tells which did not end
        }
    }

    ObjectNode summary() {
        TreeMap<String, Integer> how = new TreeMap<>();
        for (CompletableFuture<WireResponse> a : answers) {
            String h;
            if (!a.isDone()) {
                h = "still open";
            } else {
                WireResponse r = a.join();
                h = !r.ok() ? r.problem() : r.parts().size() == 1 && r.parts().get(0).type().equals("error")
                        ? "error " + r.parts().get(0).header().path("code").asText() : "answered " + r.parts().size();
            }
            how.merge(h.length() > 120 ? h.substring(0, 120) : h, 1, Integer::sum);
        }
        ObjectNode n = WireFrames.JSON.createObjectNode().put("streams", answers.size());
        synchronized (endedMillis) {
            n.put("firstEndedMillis", endedMillis.stream().mapToLong(x -> x).min().orElse(-1));
            n.put("lastEndedMillis", endedMillis.stream().mapToLong(x -> x).max().orElse(-1));
        }
        ObjectNode w = n.putObject("how");
        how.forEach(w::put);
        return n;
    }
}
