package io.lanspread.itests.lies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Distribution;

/**
 * A real {@code ./lanspread} peer inside a LAN-lab host on ports of the test's choosing, so that several
 * peers (several peer ids) can share one host, that is one address. mDNS stays off: the receiver names
 * its sources with {@code --peer}, and its greeting introduces it to them. Only a peer whose HTTP port
 * was forwarded ({@link LabHost#forward(int)}) answers {@link #get}/{@link #post}.
 */
final class LiePeer {

    private static final Pattern READY = Pattern.compile("lanspread ready peer=(\\S+) .*quic=(\\d+) http=(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /**
     * Six peers start at once on two cores (with other tests running): serial GC, C1 only, a bounded
     * heap, and more than the launcher's default 60 s to become ready.
     */
    private static final String JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx320m -Xshare:auto"
            + " -Dlanspread.ready.timeout=240";

    private final LabHost host;
    private final String name;
    private final int quicPort;
    private final int httpPort;
    private final Path home;
    private final Path log;
    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile int apiPort = -1;

    private LiePeer(LabHost host, String name, int quicPort, int httpPort, Path home, Path log, Process process) {
        this.host = host;
        this.name = name;
        this.quicPort = quicPort;
        this.httpPort = httpPort;
        this.home = home;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code ./lanspread --no-mdns} in {@code host} with games and state under {@code home}. */
    static LiePeer start(LabHost host, String name, int quicPort, int httpPort, Path home, String... extraArgs)
            throws IOException {
        Path games = Files.createDirectories(home.resolve("games"));
        Path state = Files.createDirectories(home.resolve("state"));
        List<String> cmd = new ArrayList<>(List.of("env", "LANSPREAD_JAVA_OPTS=" + JAVA_OPTS,
                Distribution.root().resolve("lanspread").toString(), "--games", games.toString(), "--state",
                state.toString(), "--name", name, "--port", String.valueOf(quicPort), "--http-port",
                String.valueOf(httpPort), "--no-mdns"));
        cmd.addAll(List.of(extraArgs));
        Path log = home.resolve("peer.log");
        LiePeer peer = new LiePeer(host, name, quicPort, httpPort, home, log, host.start(cmd, home, log));
        peer.watchForReady();
        return peer;
    }

    private void watchForReady() {
        Thread watcher = new Thread(() -> {
            try {
                String line = Lab.awaitLogLine(process, log, READY.pattern(), Duration.ofSeconds(240));
                Matcher m = READY.matcher(line);
                if (!m.find() || Integer.parseInt(m.group(2)) != quicPort || Integer.parseInt(m.group(3)) != httpPort) {
                    throw new AssertionError(name + ": unexpected ready line: " + line);
                }
                ready.complete(m.group(1));
            } catch (Throwable t) {
                ready.completeExceptionally(t);
            }
        }, "ready-watch-" + name);
        watcher.setDaemon(true);
        watcher.start();
    }

    LiePeer awaitReady(int seconds) {
        try {
            ready.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + " not ready in " + seconds + " s; log:\n" + logText(), e);
        }
        return this;
    }

    /** Makes the peer's HTTP API reachable from the test. */
    LiePeer forwardApi() throws IOException {
        apiPort = host.forward(httpPort);
        return this;
    }

    String peerId() {
        if (!ready.isDone() || ready.isCompletedExceptionally()) {
            throw new IllegalStateException(name + " is not ready");
        }
        return ready.join();
    }

    String name() {
        return name;
    }

    LabHost host() {
        return host;
    }

    /** {@code host:port} of its QUIC server, as {@code --peer} takes it. */
    String quicAddress() {
        return host.address() + ":" + quicPort;
    }

    Path gamesDir() {
        return home.resolve("games");
    }

    /**
     * Whether {@code text} names this peer: its peer id (or the id's first 8 digits, an abbreviation a
     * sentence may use), its name, or its address (the host's: peers on one host share it).
     */
    boolean isNamedIn(String text) {
        if (text == null) {
            return false;
        }
        String t = text.toLowerCase(Locale.ROOT);
        String id = peerId().toLowerCase(Locale.ROOT);
        return t.contains(id.substring(0, 8)) || t.contains(name.toLowerCase(Locale.ROOT))
                || t.contains(host.address());
    }

    static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    Reply request(String method, String path) throws IOException, InterruptedException {
        if (apiPort < 0) {
            throw new IllegalStateException(name + ": HTTP API not forwarded");
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(90)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(r.statusCode(), r.body());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        Reply r = request("GET", path);
        if (r.status() != 200) {
            throw new AssertionError(name + ": GET " + path + " -> " + r.status() + " " + r.body());
        }
        return r.json();
    }

    Reply post(String path) throws IOException, InterruptedException {
        return request("POST", path);
    }

    /** Peer ids the receiver lists for game {@code id} under GET /api/games (empty when not listed). */
    List<String> holdersOf(String id) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode g : get("/api/games")) {
            if (id.equals(g.path("id").asText()) && g.has("peers")) {
                g.get("peers").forEach(p -> ids.add(p.asText()));
            }
        }
        return ids;
    }

    /** {@code servedBytes} of GET /api/status (file bytes this peer sent), or -1 when it has none. */
    long servedBytes() throws IOException, InterruptedException {
        JsonNode served = get("/api/status").get("servedBytes");
        return served == null || !served.isNumber() ? -1 : served.asLong();
    }

    boolean alive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last {@code n} lines of the log. */
    String logTail(int n) {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** Log lines matching {@code regex} (case-insensitive), at most {@code max}. */
    List<String> logLines(String regex, int max) {
        Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        return logText().lines().filter(l -> p.matcher(l).find()).limit(max).toList();
    }

    void keepLog(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.exists(log)) {
                Files.copy(log, dir.resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("cannot keep the log of " + name + ": " + e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + quicAddress() + (ready.isDone() && !ready.isCompletedExceptionally() ? "(" + ready.join()
                + ")" : "");
    }
}
