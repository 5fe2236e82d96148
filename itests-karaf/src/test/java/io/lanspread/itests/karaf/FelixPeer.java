package io.lanspread.itests.karaf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code ./lanspread} peer (the Felix runtime the reactor built), started as a user starts it (by default on
 * loopback with mDNS off); its output goes to a log file, its ready line tells its ports.
 */
final class FelixPeer implements AutoCloseable {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    private final Process process;
    private final Path log;
    private final CompletableFuture<String> readyLine = new CompletableFuture<>();
    private volatile int httpPort;
    private volatile int quicPort;
    private volatile String peerId;
    final Api api = new Api(() -> httpPort, () -> null);

    private FelixPeer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static FelixPeer start(Path home, String name) throws IOException {
        return start(home, name, List.of(), "--port", "0", "--http-port", "0", "--bind", "127.0.0.1", "--no-mdns");
    }

    /** {@code ./lanspread} with its games and state under {@code home}, run under {@code prefix} (may be empty). */
    static FelixPeer start(Path home, String name, List<String> prefix, String... args) throws IOException {
        Path root = Paths.get(System.getProperty("lanspread.root.dir", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(root.resolve("lanspread").toString(),
                "--games", Files.createDirectories(home.resolve("games")).toString(),
                "--state", Files.createDirectories(home.resolve("state")).toString(), "--name", name));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
        FelixPeer peer = new FelixPeer(p, home.resolve(name + ".log"));
        peer.pumpOutput();
        return peer;
    }

    int httpPort() {
        return httpPort;
    }

    private void pumpOutput() {
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (line.startsWith("lanspread ready ")) {
                        readyLine.complete(line);
                    }
                }
            } catch (IOException e) {
                readyLine.completeExceptionally(e);
            }
            readyLine.completeExceptionally(new IllegalStateException("the peer's output ended before it was ready"));
        }, "felix-peer-output");
        pump.setDaemon(true);
        pump.start();
    }

    FelixPeer awaitReady(int seconds) throws Exception {
        String line;
        try {
            line = readyLine.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("./lanspread not ready in " + seconds + " s; log:\n" + logText(), e);
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
        return this;
    }

    int quicPort() {
        return quicPort;
    }

    String peerId() {
        return peerId;
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
