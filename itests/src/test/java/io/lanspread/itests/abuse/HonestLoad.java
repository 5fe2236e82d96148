package io.lanspread.itests.abuse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Honest clients: on each connection {@code requests} mixed requests (ping, listGames, getGame, getManifest,
 * getChunks of 1 to 4 chunks, getGameFileData), {@code inFlight} at a time, each answer checked by
 * {@link AnswerCheck}. A request not answered within {@link #ANSWER_SECONDS} counts as failed.
 */
final class HonestLoad {

    /**
     * Generous: on two loaded cores, a chunk request may wait in the server's send budget queue behind a
     * hundred others (about 15 s was seen at a load average of 30).
     */
    static final int ANSWER_SECONDS = 60;
    private static final int MAX_REPORTED = 20;

    private final GameTruth truth;
    private final AnswerCheck check;
    private final List<String> games;
    private final int requests;
    private final int inFlight;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final Map<String, AtomicInteger> byType = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    HonestLoad(GameTruth truth, AnswerCheck check, List<String> games, int requests, int inFlight) {
        this.truth = truth;
        this.check = check;
        this.games = games;
        this.requests = requests;
        this.inFlight = inFlight;
    }

    /** Runs every request on every connection; completes when all are answered or timed out. */
    CompletableFuture<Void> run(List<WireConnection> connections, long seed) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int c = 0; c < connections.size(); c++) {
            WireConnection connection = connections.get(c);
            Random random = new Random(seed * 1000 + c);
            AtomicInteger next = new AtomicInteger();
            for (int lane = 0; lane < inFlight; lane++) {
                all.add(lane(connection, random, next));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** One chain of requests on a connection: the next starts when the previous is answered. */
    private CompletableFuture<Void> lane(WireConnection connection, Random random, AtomicInteger next) {
        if (next.getAndIncrement() >= requests) {
            return CompletableFuture.completedFuture(null);
        }
        Planned p;
        synchronized (random) {
            p = plan(random);
        }
        return connection.request(p.request, WireConnection.Reading.NORMAL, ANSWER_SECONDS)
                .handle((r, e) -> {
                    String wrong = e != null ? "failed: " + e : p.check.apply(r);
                    byType.computeIfAbsent(p.type, t -> new AtomicInteger()).incrementAndGet();
                    if (r != null) {
                        bodyBytes.addAndGet(r.bodyBytes());
                    }
                    if (wrong == null) {
                        answered.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        if (failures.size() < MAX_REPORTED) {
                            failures.add(p.request + " from " + connection.local() + ": " + wrong);
                        }
                    }
                    return null;
                })
                .thenCompose(x -> lane(connection, random, next));
    }

    private record Planned(String type, ObjectNode request, Function<WireResponse, String> check) {
    }

    private Planned plan(Random random) {
        String gameId = games.get(random.nextInt(games.size()));
        GameTruth.Game game = truth.game(gameId);
        List<GameTruth.Entry> files = game.files().stream().filter(f -> f.size() > 0).toList();
        int pick = random.nextInt(100);
        if (pick < 10) {
            return new Planned("ping", WireFrames.request("ping"), check::ping);
        }
        if (pick < 20) {
            return new Planned("listGames", WireFrames.request("listGames"), check::listGames);
        }
        if (pick < 35) {
            return new Planned("getGame", WireFrames.getGame(gameId), r -> check.getGame(gameId, r));
        }
        if (pick < 50) {
            return new Planned("getManifest", WireFrames.getManifest(gameId), r -> check.getManifest(gameId, r));
        }
        if (pick < 85) {
            List<WireFrames.Range> chunks = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                GameTruth.Entry f = files.get(random.nextInt(files.size()));
                int index = random.nextInt(f.chunks());
                chunks.add(new WireFrames.Range(f.path(), (long) index * WireFrames.CHUNK_SIZE, f.chunkLength(index)));
            }
            return new Planned("getChunks", WireFrames.getChunks(gameId, chunks), r -> check.getChunks(gameId, chunks, r));
        }
        GameTruth.Entry f = files.get(random.nextInt(files.size()));
        return new Planned("getGameFileData", WireFrames.getGameFileData(gameId, f.path()),
                r -> check.getGameFileData(gameId, f.path(), r));
    }

    /** The summary the test reads: counts, bytes and the first failures. */
    ObjectNode summary(long millis) {
        ObjectNode s = WireFrames.JSON.createObjectNode().put("answered", answered.get()).put("failed", failed.get())
                .put("bodyBytes", bodyBytes.get()).put("millis", millis);
        ObjectNode types = s.putObject("byType");
        new TreeMap<>(byType).forEach((k, v) -> types.put(k, v.get()));
        synchronized (failures) {
            failures.forEach(s.putArray("failures")::add);
        }
        return s;
    }
}
