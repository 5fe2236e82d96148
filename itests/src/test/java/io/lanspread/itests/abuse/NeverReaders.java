package io.lanspread.itests.abuse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Clients that ask and never read: on every connection up to {@code streams} streams (as many as the
 * peer's stream credit allows, less one; the rest wait for credit that only the peer can give back), alternately a
 * {@code getChunks} of 32 chunks (16 MiB) and a {@code getGameFileData} of the game's biggest file, with
 * auto-read off and no read ever. The peer's answers pile up in its send path, which is what its memory
 * limits must bound. To keep its connections from the 30 s idle timeout, as a real attacker would, it pings
 * on every connection every {@code keepAliveSeconds}, on a stream of the credit the others leave free (the
 * connections are made with a reserve of one).
 */
final class NeverReaders {

    private static final int CHUNKS_PER_REQUEST = 32;
    private static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final GameTruth.Game game;
    private final int streams;
    private final List<WireConnection> connections = new ArrayList<>();
    private final List<CompletableFuture<WireResponse>> answers = new ArrayList<>();
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keep-alive");
        t.setDaemon(true);
        return t;
    });
    private final int keepAliveSeconds;
    private long startedNanos;

    NeverReaders(GameTruth truth, String gameId, int streams, int keepAliveSeconds) {
        this.game = gameId.isEmpty() ? null : truth.game(gameId);
        this.streams = streams;
        this.keepAliveSeconds = keepAliveSeconds;
    }

    void start(List<WireConnection> conns) {
        startedNanos = System.nanoTime();
        if (conns.isEmpty()) {
            return;
        }
        GameTruth.Entry biggest = game.files().stream().max(Comparator.comparingLong(GameTruth.Entry::size)).orElseThrow();
        if (biggest.chunks() < CHUNKS_PER_REQUEST) {
            throw new IllegalArgumentException(game.id() + " has no file of " + CHUNKS_PER_REQUEST + " chunks");
        }
        Random random = new Random(7);
        connections.addAll(conns);
        for (WireConnection c : conns) {
            for (int i = 0; i < streams; i++) {
                if (i % 2 == 0) {
                    List<WireFrames.Range> chunks = new ArrayList<>();
                    int first = random.nextInt(biggest.chunks() - CHUNKS_PER_REQUEST + 1);
                    for (int k = first; k < first + CHUNKS_PER_REQUEST; k++) {
                        chunks.add(new WireFrames.Range(biggest.path(), (long) k * WireFrames.CHUNK_SIZE, biggest.chunkLength(k)));
                    }
                    answers.add(c.request(WireFrames.getChunks(game.id(), chunks), WireConnection.Reading.NEVER));
                } else {
                    answers.add(c.request(WireFrames.getGameFileData(game.id(), biggest.path()), WireConnection.Reading.NEVER));
                }
            }
        }
        if (keepAliveSeconds > 0) {
            keepAlive.scheduleWithFixedDelay(this::pingEveryConnection, keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
        }
    }

    /** A ping on every connection: its answer keeps the connection from the idle timeout. */
    private void pingEveryConnection() {
        for (WireConnection c : connections) {
            if (c.isActive()) {
                c.request(WireFrames.request("ping"), WireConnection.Reading.NORMAL);
            }
        }
    }

    void stop() {
        keepAlive.shutdownNow();
    }

    /**
     * Waits until every stream is open, or the number open has not changed for 3 s (the peer's credit is
     * spent); returns how many were asked for, opened and still wait for credit.
     */
    String awaitOpened(long deadlineNanos) throws InterruptedException {
        int last = -1;
        long changed = System.nanoTime();
        int asked = connections.size() * streams;
        while (System.nanoTime() < deadlineNanos) {
            int opened = opened();
            if (opened != last) {
                last = opened;
                changed = System.nanoTime();
            }
            if (opened >= asked || System.nanoTime() - changed > SETTLED_NANOS) {
                break;
            }
            Thread.sleep(100); // a poll interval inside a deadline loop
        }
        int waiting = connections.stream().mapToInt(WireConnection::waiting).sum();
        return WireFrames.JSON.createObjectNode().put("connections", connections.size()).put("asked", asked)
                .put("opened", opened()).put("waiting", waiting)
                .put("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)).toString();
    }

    private int opened() {
        return connections.stream().mapToInt(WireConnection::streamsOpened).sum();
    }

    /** What the peer ended before the client left: streams (with why) and connections. */
    ObjectNode endedEarly() {
        TreeMap<String, Integer> why = new TreeMap<>();
        int ended = 0;
        for (CompletableFuture<WireResponse> a : answers) {
            if (a.isDone()) {
                ended++;
                WireResponse r = a.join();
                String reason = r.ok() ? r.parts().isEmpty() ? "FIN without an answer"
                        : "answered " + r.parts().get(r.parts().size() - 1).header().path("type").asText()
                        + (r.parts().get(r.parts().size() - 1).type().equals("error")
                                ? " " + r.parts().get(r.parts().size() - 1).header().path("code").asText() : "")
                        : r.problem();
                why.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1, Integer::sum);
            }
        }
        long closed = connections.stream().filter(c -> !c.isActive()).count();
        ObjectNode n = WireFrames.JSON.createObjectNode().put("streams", answers.size()).put("endedByPeer", ended)
                .put("connectionsClosedByPeer", closed);
        ObjectNode w = n.putObject("why");
        why.forEach(w::put);
        return n;
    }
}
