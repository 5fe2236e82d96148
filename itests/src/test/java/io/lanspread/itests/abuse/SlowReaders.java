package io.lanspread.itests.abuse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Honest but slow clients: each connection downloads one whole file, reading one batch every 100 ms through
 * a 64 KiB stream window (a few hundred KiB/s), and checks it byte for byte (SHA-256).
 */
final class SlowReaders {

    private SlowReaders() {
    }

    /** Completes with {"count","ok","failures":[...],"millis":[...]} when every download ended. */
    static CompletableFuture<ObjectNode> run(List<WireConnection> conns, AnswerCheck check, String gameId, String path) {
        long t0 = System.nanoTime();
        List<CompletableFuture<String>> all = new ArrayList<>();
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        for (WireConnection c : conns) {
            all.add(c.request(WireFrames.getGameFileData(gameId, path), WireConnection.Reading.SLOW).thenApply(r -> {
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                return check.getGameFileData(gameId, path, r);
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
            ObjectNode s = WireFrames.JSON.createObjectNode().put("count", all.size());
            ArrayNode failures = s.putArray("failures");
            int ok = 0;
            for (CompletableFuture<String> f : all) {
                String wrong = f.join();
                if (wrong == null) {
                    ok++;
                } else {
                    failures.add(wrong);
                }
            }
            s.put("ok", ok);
            ArrayNode ms = s.putArray("millis");
            millis.forEach(ms::add);
            return s;
        });
    }
}
