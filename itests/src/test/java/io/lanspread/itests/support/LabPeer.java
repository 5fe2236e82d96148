package io.lanspread.itests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;

/**
 * A real {@code ./lanspread} peer inside a LAN-lab host, on the documented fixed ports (QUIC 42420, HTTP
 * 42421 on the host's own loopback), reached from the test through {@link LabHost#forward(int)}. A
 * background watcher notes when the ready line appears, so peers started together get their own ready
 * time. With {@code --console}, {@link #console(String)} types a Gogo command on the peer's stdin.
 */
public final class LabPeer {

    public static final int QUIC_PORT = 42420;
    public static final int HTTP_PORT = 42421;

    /** Not anchored: with --console the Gogo prompt "g! " may precede it on the same line. */
    private static final Pattern READY = Pattern.compile("lanspread ready peer=(\\S+) .*quic=(\\d+) http=(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final LabHost host;
    private final String name;
    private final Path home;
    private final Path log;
    private final int apiPort;
    private final Process process;
    private final long startedNanos;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private volatile String peerId;

    private LabPeer(LabHost host, String name, Path home, Path log, int apiPort, Process process, long startedNanos) {
        this.host = host;
        this.name = name;
        this.home = home;
        this.log = log;
        this.apiPort = apiPort;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts {@code ./lanspread --games <home>/games --state <home>/state --name <name> --port 42420
     * --http-port 42421 <extraArgs>} inside {@code host}; {@code apiPort} is {@code host.forward(42421)}.
     */
    public static LabPeer start(LabHost host, int apiPort, Path home, String name, String... extraArgs)
            throws IOException {
        return start(host, apiPort, home, name, Map.of(), extraArgs);
    }

    /**
     * Like {@link #start(LabHost, int, Path, String, String...)}, with {@code env} added to the peer's
     * environment (say {@code LANSPREAD_JAVA_OPTS}) through {@code env(1)}, which execs: the process is still
     * the peer's JVM.
     */
    public static LabPeer start(LabHost host, int apiPort, Path home, String name, Map<String, String> env,
            String... extraArgs) throws IOException {
        Path games = Files.createDirectories(home.resolve("games"));
        Path state = Files.createDirectories(home.resolve("state"));
        List<String> cmd = new ArrayList<>();
        if (!env.isEmpty()) {
            cmd.add("env");
            env.forEach((k, v) -> cmd.add(k + "=" + v));
        }
        cmd.addAll(List.of(Distribution.root().resolve("lanspread").toString(),
                "--games", games.toString(), "--state", state.toString(), "--name", name,
                "--port", String.valueOf(QUIC_PORT), "--http-port", String.valueOf(HTTP_PORT)));
        cmd.addAll(List.of(extraArgs));
        Path log = home.resolve("peer.log");
        long started = System.nanoTime();
        Process p = host.start(cmd, home, log);
        LabPeer peer = new LabPeer(host, name, home, log, apiPort, p, started);
        peer.watchForReady();
        return peer;
    }

    private void watchForReady() {
        Thread watcher = new Thread(() -> {
            try {
                // generous: ten peers starting at once on a loaded 2-core machine took up to 205 s;
                // each caller bounds its own wait with awaitReady(seconds)
                String line = Lab.awaitLogLine(process, log, READY.pattern(), Duration.ofSeconds(300));
                long at = System.nanoTime();
                Matcher m = READY.matcher(line);
                if (!m.find() || Integer.parseInt(m.group(3)) != HTTP_PORT) {
                    throw new AssertionError("unexpected ready line: " + line);
                }
                peerId = m.group(1);
                ready.complete(at);
            } catch (Throwable t) {
                ready.completeExceptionally(t);
            }
        }, "ready-watch-" + name);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Waits for the ready line; returns this. */
    public LabPeer awaitReady(int seconds) {
        try {
            ready.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + " not ready in " + seconds + " s; log:\n" + logText(), e);
        }
        return this;
    }

    /** System.nanoTime() when the ready line was seen (within about 20 ms of its writing). */
    public long readyNanos() {
        return ready.join();
    }

    /** System.nanoTime() just before the process was started. */
    public long startedNanos() {
        return startedNanos;
    }

    public String peerId() {
        if (peerId == null) {
            throw new IllegalStateException(name + " is not ready yet");
        }
        return peerId;
    }

    public String name() {
        return name;
    }

    public LabHost host() {
        return host;
    }

    /** The port on the test's 127.0.0.1 that reaches this peer's HTTP API. */
    public int apiPort() {
        return apiPort;
    }

    public Path home() {
        return home;
    }

    public Path gamesDir() {
        return home.resolve("games");
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(name + ": GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Peer ids this peer lists under GET /api/peers. */
    public List<String> listedPeerIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        get("/api/peers").forEach(p -> ids.add(p.get("peerId").asText()));
        return ids;
    }

    /** The entry of GET /api/games with this id, or null. */
    public JsonNode game(String id) throws IOException, InterruptedException {
        for (JsonNode g : get("/api/games")) {
            if (id.equals(g.get("id").asText())) {
                return g;
            }
        }
        return null;
    }

    /** Whether GET /api/games lists {@code id} as offered by the peer {@code sourcePeerId}. */
    public boolean listsGameFrom(String id, String sourcePeerId) throws IOException, InterruptedException {
        JsonNode g = game(id);
        if (g == null || g.get("peers") == null) {
            return false;
        }
        for (JsonNode p : g.get("peers")) {
            if (sourcePeerId.equals(p.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Number of log lines so far: pass it to {@link #awaitOutput} to look only at what comes after. */
    public int logLineCount() {
        return readLines().size();
    }

    /** Types {@code command} and a newline on the peer's stdin (the Gogo shell of {@code --console}). */
    public void console(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for a log line after line {@code fromLine} (0-based) matching {@code regex}; returns the match. */
    public Matcher awaitOutput(int fromLine, String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = readLines();
            for (int i = fromLine; i < lines.size(); i++) {
                Matcher m = p.matcher(lines.get(i));
                if (m.find()) {
                    return m;
                }
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError(name + ": no output matching '" + regex + "' after line " + fromLine
                        + " within " + timeout.toMillis() + " ms (alive=" + process.isAlive() + "); log:\n"
                        + logText());
            }
            Deadlines.pause();
        }
    }

    /** SIGKILL; returns System.nanoTime() just before the signal. */
    public long kill() throws InterruptedException {
        long at = System.nanoTime();
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL");
        }
        return at;
    }

    /** SIGTERM; returns System.nanoTime() just before the signal. Does not wait. */
    public long terminate() {
        long at = System.nanoTime();
        process.destroy();
        return at;
    }

    /** Waits for the process to end; returns its exit code. */
    public int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still running " + seconds + " s after being stopped; log:\n" + logText());
        }
        return process.exitValue();
    }

    private List<String> readLines() {
        try {
            // lenient decoding: a torn or odd byte must not hide the whole log
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList()
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Copies the peer's log to {@code dir}/{@code <name>.log} (kept for diagnosis after the lab is gone). */
    public void keepLog(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.exists(log)) {
                Files.copy(log, dir.resolve(name + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("cannot keep the log of " + name + ": " + e);
        }
    }

    /** Where tests keep peer logs: {@code target/lab-logs/<test class>} of the module under test. */
    public static Path logDir(Class<?> testClass) {
        return Path.of("target", "lab-logs", testClass.getSimpleName()).toAbsolutePath();
    }

    public String logText() {
        return String.join("\n", readLines());
    }

    @Override
    public String toString() {
        return name + "@" + host.address() + (peerId == null ? "" : "(" + peerId + ")");
    }
}
