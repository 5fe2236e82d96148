package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.BigGame;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.PeerProcess;

/**
 * {@code GET /api/events} on a real peer while it downloads from another: a new client gets a snapshot, then
 * every event of the download in order with contiguous ids; a client that comes back with {@code Last-Event-ID}
 * gets exactly the events after it; one with an id the peer never issued gets a snapshot first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamIT {

    private static final String GAME = "event-race";
    private static final int DEADLINE_SECONDS = 120;

    private Path work;
    private PeerProcess seeder;
    private PeerProcess leecher;
    private final List<SseClient> clients = new ArrayList<>();

    @BeforeAll
    void startPeers() throws Exception {
        work = Files.createTempDirectory("lanspread-events");
        Path seederHome = Files.createDirectories(work.resolve("seeder"));
        BigGame.in(Files.createDirectories(seederHome.resolve("games")), GAME, "1.0", 7).paks(4, 24 * BigGame.MIB)
                .write();
        seeder = PeerProcess.start(seederHome, "seeder", "--no-mdns").awaitReady(120);
        leecher = PeerProcess.start(Files.createDirectories(work.resolve("leecher")), "leecher", "--no-mdns",
                "--peer", "127.0.0.1:" + seeder.quicPort()).awaitReady(120);
    }

    @AfterAll
    void stopPeers() throws Exception {
        clients.forEach(SseClient::close);
        for (PeerProcess p : new PeerProcess[] {leecher, seeder}) {
            if (p != null) {
                p.close();
            }
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    void aDownloadsEventsArriveInOrderAndAReconnectingClientMissesNone() throws Exception {
        SseClient live = open(null);
        Event snapshot = live.next(e -> true);
        assertThat(snapshot.type).isEqualTo("snapshot");
        assertThat(snapshot.data.get("reason").asText()).isEqualTo("NO_ID");
        assertThat(snapshot.data.get("status").get("peerId").asText()).isEqualTo(leecher.peerId());
        assertThat(live.contentType).startsWith("text/event-stream");

        // the seeder's game shows up in the stream's merged listing (or already in the snapshot)
        if (!listsGame(snapshot.data.get("games"))) {
            live.next(e -> e.data.has("games") && listsGame(e.data.get("games")));
        }

        String downloadId = PeerProcess.parse(leecher.request("POST", "/api/games/" + GAME + "/download").body())
                .get("id").asText();
        Event begin = live.next(e -> isDownload(e, downloadId));
        assertThat(begin.type).isEqualTo("download-begin");
        List<Event> rest = new ArrayList<>();
        Event last;
        do {
            last = live.next(e -> true);
            rest.add(last);
        } while (!(isDownload(last, downloadId) && last.type.equals("download-finished")));

        List<Event> ofDownload = rest.stream().filter(e -> isDownload(e, downloadId)).toList();
        assertThat(ofDownload.subList(0, ofDownload.size() - 1)).extracting(e -> e.type).containsOnly("download-progress");
        assertThat(ofDownload.size()).as("progress events before the end").isGreaterThanOrEqualTo(2); // one progress, the end
        long before = -1;
        for (Event e : ofDownload) {
            long done = e.data.get("download").get("downloadedBytes").asLong();
            assertThat(done).as("progress never goes back").isGreaterThanOrEqualTo(before);
            before = done;
        }
        JsonNode finished = last.data.get("download");
        assertThat(finished.get("state").asText()).isEqualTo("FINISHED");
        assertThat(finished.get("downloadedBytes").asLong()).isEqualTo(finished.get("totalBytes").asLong());
        assertThat(last.data.get("games")).as("the finished event carries the listing").isNotNull();
        assertContiguous(begin, rest);

        // a client that saw the begin event and comes back gets exactly what followed it
        SseClient resumed = open(begin.id);
        List<Event> replayed = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            replayed.add(resumed.next(e -> true));
        }
        assertThat(replayed).extracting(e -> e.id).containsExactlyElementsOf(rest.stream().map(e -> e.id).toList());
        assertThat(replayed).extracting(e -> e.type).containsExactlyElementsOf(rest.stream().map(e -> e.type).toList());

        // an id this peer never issued (another run, say) gets a snapshot showing where things stand, once the
        // catalog lists the new game (it waits for the files to be quiet, then hashes them)
        Conditions.awaitValue("the downloaded game listed as installed", 60, () -> {
            for (JsonNode g : leecher.get("/api/games")) {
                if (g.get("id").asText().equals(GAME) && g.get("local").asBoolean()) {
                    return g;
                }
            }
            return null;
        });
        SseClient stranger = open("0123456789abcdef-42");
        Event fresh = stranger.next(e -> true);
        assertThat(fresh.type).isEqualTo("snapshot");
        assertThat(fresh.data.get("reason").asText()).isEqualTo("UNKNOWN_ID");
        JsonNode download = null;
        for (JsonNode d : fresh.data.get("downloads")) {
            if (d.get("id").asText().equals(downloadId)) {
                download = d;
            }
        }
        assertThat(download).as("the snapshot's downloads").isNotNull();
        assertThat(download.get("state").asText()).isEqualTo("FINISHED");
        JsonNode installed = null;
        for (JsonNode g : fresh.data.get("games")) {
            if (g.get("id").asText().equals(GAME)) {
                installed = g;
            }
        }
        assertThat(installed).as("the snapshot's games").isNotNull();
        assertThat(installed.get("local").asBoolean()).isTrue();
        assertThat(installed.get("installedVersion").asText()).isEqualTo("1.0");
    }

    @Test
    void headAnswersLikeGetWithoutAStream() throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + leecher.httpPort() + "/api/events")
                .openConnection();
        c.setRequestMethod("HEAD");
        c.setReadTimeout(10_000);
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(c.getContentType()).startsWith("text/event-stream");
        c.disconnect();
    }

    // ------------------------------------------------------------------ helpers

    private SseClient open(String lastEventId) throws IOException {
        SseClient client = new SseClient(leecher.httpPort(), lastEventId);
        clients.add(client);
        return client;
    }

    private static boolean listsGame(JsonNode games) {
        if (games == null || !games.isArray()) {
            return false;
        }
        for (JsonNode g : games) {
            if (g.get("id").asText().equals(GAME) && g.get("peers").size() > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDownload(Event e, String downloadId) {
        return e.data.has("download") && e.data.get("download").get("id").asText().equals(downloadId);
    }

    /** Ids are {@code <boot>-<sequence>}: one boot, each sequence one more than the last. */
    private static void assertContiguous(Event first, List<Event> rest) {
        String boot = first.id.substring(0, first.id.lastIndexOf('-'));
        long sequence = Long.parseLong(first.id.substring(first.id.lastIndexOf('-') + 1));
        for (Event e : rest) {
            assertThat(e.id).startsWith(boot + "-");
            long next = Long.parseLong(e.id.substring(e.id.lastIndexOf('-') + 1));
            assertThat(next).as("no event lost after " + sequence).isEqualTo(sequence + 1);
            sequence = next;
        }
    }

    private record Event(String id, String type, JsonNode data) {
    }

    /**
     * A minimal SSE client: one reader thread parsing messages into a queue. It uses {@link HttpClient}, whose
     * body stream ends the request at once when closed (an {@code HttpURLConnection} would first try to drain
     * a stream that never ends).
     */
    private static final class SseClient implements AutoCloseable {
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        final String contentType;
        private final InputStream in;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final Thread reader;

        SseClient(int port, String lastEventId) throws IOException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting", e);
            }
            assertThat(response.statusCode()).isEqualTo(200);
            in = response.body();
            contentType = response.headers().firstValue("Content-Type").orElse("");
            reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String id = null;
                String type = "message";
                StringBuilder data = new StringBuilder();
                for (String line; (line = lines.readLine()) != null;) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(id, type, PeerProcess.parse(data.toString())));
                        }
                        id = null;
                        type = "message";
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
        }

        /** The next event that matches, skipping others; fails after the deadline. */
        Event next(Predicate<Event> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
            while (true) {
                Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(e).as("an event within " + DEADLINE_SECONDS + " s").isNotNull();
                if (wanted.test(e)) {
                    return e;
                }
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // already closed
            }
            reader.interrupt();
        }
    }
}
