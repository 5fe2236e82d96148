package io.lanspread.itests.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.PeerProcess;

/** The download API as these scenario tests use it: listings, starting and watching downloads, served bytes. */
final class Downloads {

    static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELLED");

    /**
     * Text that is not a sentence for a user: exception class names, stack frames, qualified Java or
     * Netty class names, a bare "null" message.
     */
    static final Pattern RAW_TEXT = Pattern.compile(
            "Exception|Throwable|Caused by|StackTrace|\\bat [\\w$.]+\\(|\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[A-Za-z$_]"
                    + "|\\bio\\.netty|\\bjava\\.|^null$");

    /**
     * The peers' JVM options: these tests run several peers at once on two cores, next to other tests, so
     * a serial collector, a bounded heap, and more than the launcher's 60 s (and SCR's 5 s lock timeout)
     * to start up.
     */
    static final String JVM_OPTIONS = "-XX:+UseSerialGC -Xmx512m -Xshare:auto -Dlanspread.ready.timeout=240"
            + " -Dds.lock.timeout.milliseconds=120000";

    private Downloads() {
    }

    /** Starts a peer on {@code home} (games and state folders inside) logging to {@code home/<logName>}. */
    static PeerProcess peer(Path home, String name, String logName, String... args) throws IOException {
        return PeerProcess.startWithJvmOptions(home, name, home.resolve(logName), JVM_OPTIONS, args);
    }

    /** The entry of GET /api/games with this id, or null. */
    static JsonNode game(PeerProcess peer, String id) throws IOException, InterruptedException {
        for (JsonNode g : peer.get("/api/games")) {
            if (id.equals(g.get("id").asText())) {
                return g;
            }
        }
        return null;
    }

    /** Whether a listing names every one of {@code sources} among its peers. */
    static boolean offeredBy(JsonNode game, PeerProcess... sources) {
        if (game == null || game.get("peers") == null) {
            return false;
        }
        Set<String> peers = new LinkedHashSet<>();
        game.get("peers").forEach(p -> peers.add(p.asText()));
        for (PeerProcess s : sources) {
            if (!peers.contains(s.peerId())) {
                return false;
            }
        }
        return true;
    }

    /** Waits until {@code receiver} lists {@code id} at {@code version}, remote, offered by every one of {@code sources}. */
    static JsonNode awaitListed(PeerProcess receiver, String id, String version, long size, int seconds,
            PeerProcess... sources) {
        JsonNode[] seen = new JsonNode[1];
        Conditions.await(id + " " + version + " (" + size + " bytes) listed on the receiver from every source", seconds,
                () -> {
                    try {
                        JsonNode g = game(receiver, id);
                        seen[0] = g;
                        return g != null && version.equals(g.get("version").asText()) && g.get("size").asLong() == size
                                && !g.get("local").asBoolean() && offeredBy(g, sources);
                    } catch (Exception e) {
                        return false;
                    }
                }, () -> seen[0]);
        return seen[0];
    }

    /** POST /api/games/{id}/download, which must answer 202; returns the download's id. */
    static String start(PeerProcess receiver, String gameId) throws IOException, InterruptedException {
        HttpResponse<String> r = receiver.request("POST", "/api/games/" + gameId + "/download");
        assertThat(r.statusCode()).as("POST /api/games/%s/download -> %s", gameId, r.body()).isEqualTo(202);
        JsonNode d = PeerProcess.parse(r.body());
        assertThat(d.get("gameId").asText()).isEqualTo(gameId);
        return d.get("id").asText();
    }

    /** servedBytes of GET /api/status: the file bytes this peer sent to others since it started. */
    static long served(PeerProcess peer) throws IOException, InterruptedException {
        JsonNode status = peer.get("/api/status");
        assertThat(status.has("servedBytes")).as("GET /api/status has servedBytes: %s", status).isTrue();
        return status.get("servedBytes").asLong();
    }

    static String mib(long bytes) {
        return String.format("%.2f MiB", bytes / 1048576.0);
    }

    /** Every text a user would see, checked for raw exception text, and non-blank sentences of several words. */
    static void assertSentences(String what, Iterable<String> texts) {
        for (String t : texts) {
            assertSentence(what, t);
        }
    }

    static void assertSentence(String what, String text) {
        assertThat(text).as(what).isNotBlank();
        assertThat(RAW_TEXT.matcher(text).find()).as("%s is a sentence, not raw exception text: '%s'", what, text)
                .isFalse();
        assertThat(text.trim().split("\\s+").length).as("%s has words: '%s'", what, text).isGreaterThanOrEqualTo(3);
    }

    /** Copies every peer log under {@code work} to {@code target/download-logs/<test class>/}. */
    static void keepLogs(Class<?> test, Path work) {
        if (work == null || !Files.isDirectory(work)) {
            return;
        }
        Path dir = Path.of("target", "download-logs", test.getSimpleName()).toAbsolutePath();
        try (Stream<Path> walk = Files.walk(work)) {
            Files.createDirectories(dir);
            for (Path p : (Iterable<Path>) walk::iterator) {
                boolean journal = work.relativize(p).toString().contains("state/");
                if (p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p) && !journal) {
                    Files.copy(p, dir.resolve(work.relativize(p).toString().replace('/', '_')),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println("cannot keep the logs of " + test.getSimpleName() + ": " + e);
        }
    }

    /**
     * Watches one download by polling GET /api/downloads: keeps the states it went through (in order,
     * repeats folded), every note and error it showed, and the last snapshot. Close it when done.
     */
    static final class Watch implements AutoCloseable {
        private final ScheduledExecutorService poller;
        private volatile PeerProcess peer;
        private final String id;
        private final List<String> states = new ArrayList<>();
        private final Set<String> notes = new LinkedHashSet<>();
        private final Set<String> errors = new LinkedHashSet<>();
        private volatile JsonNode last;
        private volatile Exception lastError;

        /** Also polls every 200 ms in the background, so that no state is missed between two waits. */
        Watch(PeerProcess peer, String id) {
            this.peer = peer;
            this.id = id;
            this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "watch-download-" + id);
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(() -> {
                try {
                    poll();
                } catch (Exception e) {
                    lastError = e;
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }

        /** Polls this peer from now on (the receiver was started again). */
        void on(PeerProcess restarted) {
            this.peer = restarted;
        }

        String id() {
            return id;
        }

        /** One poll; the download, or null when the peer does not list it. */
        synchronized JsonNode poll() throws IOException, InterruptedException {
            JsonNode found = null;
            for (JsonNode d : peer.get("/api/downloads")) {
                if (id.equals(d.get("id").asText())) {
                    found = d;
                }
            }
            if (found != null) {
                last = found;
                String state = found.get("state").asText();
                if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                    states.add(state);
                }
                JsonNode n = found.get("notes");
                if (n != null) {
                    n.forEach(x -> notes.add(x.asText()));
                }
                JsonNode e = found.get("error");
                if (e != null && !e.isNull()) {
                    errors.add(e.asText());
                }
            }
            return found;
        }

        /** Polls until the download satisfies {@code condition}; returns that snapshot. */
        JsonNode until(String what, int seconds, Predicate<JsonNode> condition) {
            JsonNode[] hit = new JsonNode[1];
            Conditions.await("download " + id + ": " + what, seconds, () -> {
                try {
                    JsonNode d = poll();
                    lastError = null;
                    if (d != null && condition.test(d)) {
                        hit[0] = d;
                        return true;
                    }
                } catch (Exception e) {
                    lastError = e;
                }
                return false;
            }, this::describe);
            return hit[0];
        }

        /** Polls until the download has ended (FINISHED, FAILED or CANCELLED). */
        JsonNode untilEnded(int seconds) {
            return until("to end", seconds, d -> ENDED.contains(d.get("state").asText()));
        }

        synchronized List<String> states() {
            return List.copyOf(states);
        }

        synchronized Set<String> notes() {
            return Set.copyOf(notes);
        }

        synchronized Set<String> errors() {
            return Set.copyOf(errors);
        }

        /** Every note and error seen so far. */
        synchronized List<String> texts() {
            List<String> all = new ArrayList<>(notes);
            all.addAll(errors);
            return all;
        }

        JsonNode last() {
            return last;
        }

        synchronized String describe() {
            return "last " + last + ", states " + states + ", notes " + notes + ", errors " + errors
                    + (lastError == null ? "" : ", last poll failed: " + lastError);
        }
    }
}
