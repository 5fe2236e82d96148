package io.lanspread.itests.bench.lan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Deadlines;

/**
 * A reference row, not a file transfer: iperf3 TCP from the source host to the receiver, memory to memory
 * ({@code iperf3 -c <source> -R -n <bytes> -J} on the receiver against a long-lived {@code iperf3 -s} on the
 * source), what the lab's link carries with no disk and no file. MiB/s and seconds are iperf3's own
 * (receiver side); CPU as for curl (client exactly, server over the window).
 */
public final class Iperf3Tool implements Tool {

    public static final int PORT = 5201;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final LabHost receiver;
    private final Path workDir;
    private final LabHost sourceHost;
    private final long bytes;
    private final List<Long> quiet;
    private Process server;

    public Iperf3Tool(String name, LabHost receiver, Path workDir, LabHost source, long bytes, List<Long> quiet) {
        this.name = name;
        this.receiver = receiver;
        this.workDir = workDir;
        this.sourceHost = source;
        this.bytes = bytes;
        this.quiet = quiet;
    }

    /** Starts the long-lived server on the source host; returns its pid (to be quiet before timings). */
    public long startServer() throws Exception {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("iperf3-server.log");
        server = sourceHost.start(List.of(Binaries.path("iperf3"), "-s", "--forceflush", "-B", sourceHost.address(), "-p",
                String.valueOf(PORT)), workDir, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("Server listening"))) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("iperf3 -s on " + sourceHost + " not listening: "
                        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
            }
            Deadlines.pause(50);
        }
        return server.pid();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Sample run(String scenario, int round) throws Exception {
        String note = Settle.beforeTiming(quiet);
        double sender0 = ProcStats.treeCpuSeconds(server.pid());
        ProcStats.resetTreeHwm(server.pid());
        Path log = workDir.resolve("iperf3-client.log");
        ClientRun.Result r = ClientRun.run(receiver, null, List.of(Binaries.path("iperf3"), "-c", sourceHost.address(),
                "-p", String.valueOf(PORT), "-R", "-n", String.valueOf(bytes), "-J"), log, Duration.ofSeconds(120));
        double sender = ProcStats.treeCpuSeconds(server.pid()) - sender0;
        long senderHwm = ProcStats.treeHwmKib(server.pid());
        String out = Files.readString(log);
        JsonNode received = JSON.readTree(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1))
                .path("end").path("sum_received");
        long moved = received.path("bytes").asLong();
        double seconds = received.path("seconds").asDouble();
        if (moved < bytes * 0.99 || seconds <= 0) {
            throw new AssertionError("iperf3 received " + moved + " bytes in " + seconds + " s: " + out);
        }
        return new Sample(scenario, name, round, moved, seconds, r.cpuSeconds(), sender, r.peakRssKib(), senderHwm, -1,
                (note.isEmpty() ? "" : note + "; ") + "memory to memory, no file", null);
    }
}
