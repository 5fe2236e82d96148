package io.lanspread.itests.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real peer: {@code ./lanspread} started as its own process, exactly as a user starts it. Its output
 * goes to a log file next to its folders; the ready line tells the ports it got.
 */
public final class PeerProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("^lanspread ready .*");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final CompletableFuture<String> readyLine = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile int httpPort;
    private volatile int quicPort;
    private volatile String peerId;

    private PeerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code ./lanspread} with games and state folders under {@code home} and system-chosen ports. */
    public static PeerProcess start(Path home, String name, String... extraArgs) throws IOException {
        return start(home, name, home.resolve(name + ".log"), extraArgs);
    }

    /**
     * Like {@link #start(Path, String, String...)}, with the output going to {@code log}: a peer started
     * again on the same folders keeps the log of its earlier run.
     */
    public static PeerProcess start(Path home, String name, Path log, String... extraArgs) throws IOException {
        return startWithJvmOptions(home, name, log, null, extraArgs);
    }

    /**
     * Like {@link #start(Path, String, Path, String...)}, with {@code javaOpts} (when not null) as the
     * peer JVM's options ({@code LANSPREAD_JAVA_OPTS} of {@code ./lanspread}).
     */
    public static PeerProcess startWithJvmOptions(Path home, String name, Path log, String javaOpts,
            String... extraArgs) throws IOException {
        Path games = Files.createDirectories(home.resolve("games"));
        Path state = Files.createDirectories(home.resolve("state"));
        List<String> cmd = new ArrayList<>(List.of(Distribution.root().resolve("lanspread").toString(),
                "--games", games.toString(), "--state", state.toString(), "--name", name,
                "--port", "0", "--http-port", "0", "--bind", "127.0.0.1"));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
        if (javaOpts != null) {
            builder.environment().put("LANSPREAD_JAVA_OPTS", javaOpts);
        }
        Process p = builder.start();
        PeerProcess peer = new PeerProcess(p, log);
        peer.pumpOutput();
        return peer;
    }

    private void pumpOutput() {
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (!readyLine.isDone() && READY.matcher(line).matches()) {
                        readyLine.complete(line);
                    }
                }
            } catch (IOException e) {
                readyLine.completeExceptionally(e);
            }
            readyLine.completeExceptionally(new IllegalStateException("peer output ended before it was ready"));
        }, "peer-output-" + log.getFileName());
        pump.setDaemon(true);
        pump.start();
    }

    /** Waits for the ready line and reads the peer id and ports from it. */
    public PeerProcess awaitReady(int seconds) throws Exception {
        String line;
        try {
            line = readyLine.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("peer not ready in " + seconds + " s; log:\n" + logText(), e);
        }
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            switch (m.group(1)) {
                case "http" -> httpPort = Integer.parseInt(m.group(2));
                case "quic" -> quicPort = Integer.parseInt(m.group(2));
                case "peer" -> peerId = m.group(2);
                default -> { }
            }
        }
        if (httpPort <= 0 || quicPort <= 0 || peerId == null) {
            throw new AssertionError("ready line lacks peer, quic or http: " + line);
        }
        return this;
    }

    public int httpPort() {
        return httpPort;
    }

    public int quicPort() {
        return quicPort;
    }

    public String peerId() {
        return peerId;
    }

    public Process process() {
        return process;
    }

    public HttpResponse<String> request(String method, String path) throws IOException, InterruptedException {
        return request(method, path, new String[0]);
    }

    /** A request with extra headers, given as name, value, name, value... */
    public HttpResponse<String> request(String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            req.headers(headers);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET that must answer 200; returns the parsed JSON body. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = request("GET", path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    public static JsonNode parse(String body) throws IOException {
        return JSON.readTree(body);
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, and waits for the process to be gone; returns System.nanoTime() just before the signal. */
    public long kill() throws InterruptedException {
        long at = System.nanoTime();
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("peer survived SIGKILL for 10 s");
        }
        return at;
    }

    /** Sends SIGTERM and waits for the process to end; returns how long it took in milliseconds. */
    public long stop(int seconds) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("peer did not stop within " + seconds + " s of SIGTERM; log:\n" + logText());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
