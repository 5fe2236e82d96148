package io.lanspread.itests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;

/**
 * The download planners in the LAN lab: three sources, each behind a link shaped with tc tbf, and two
 * receivers, one pinned to the seed's {@code even} planner and one to the default {@code adaptive} planner
 * (Config Admin {@code planner.target} in PID {@code io.lanspread.download}). After one uncounted warm-up
 * download per receiver, rounds alternate between the two receivers (the order flips every round), five each,
 * first with every source at 200 Mbit/s, then with one source at 20 Mbit/s. Measured per round: the total time (download request to FINISHED), the time of the last 5 % of the bytes
 * (from the receiver's {@code downloadedBytes}, polled every 20 ms) and the bytes the sources served
 * against the game's size (endgame copies count there). Not part of the normal build (the name does not end
 * in IT); see docs/benchmarks.md for the command.
 *
 * <p>The runtime has no flag for a planner, and the launcher rewrites the whole {@code io.lanspread.download}
 * configuration at every start (its state folder). So the receivers run with {@code --console}, and the
 * test types Gogo lines on it that add {@code planner.target} to that configuration through Config Admin
 * (see {@link #pin}); each receiver's log then says which planner its downloads use, which the test checks.
 */
class PlannerLabBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int MIB = Integer.getInteger("bench.mib", 256);
    private static final int FAST_MBIT = Integer.getInteger("bench.fast.mbit", 200);
    private static final int SLOW_MBIT = Integer.getInteger("bench.slow.mbit", 20);
    private static final int PROGRESS_MILLIS = 20;
    private static final String GAME = "big";
    private static final List<String> PLANNERS = List.of("even", "adaptive");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void evenAgainstAdaptiveOnThreeShapedSources() throws Exception {
        Lab.assumeSupported();
        String loadBefore = loadAverage();
        Path work = Files.createTempDirectory("lanspread-planner-bench");
        Map<String, List<Round>> results = new LinkedHashMap<>();
        List<LabPeer> all = new ArrayList<>();
        try (Lab lab = Lab.create(5)) {
            // h1, h2: receivers (even, adaptive); h3, h4, h5: sources with the same game (hard links)
            Path data = null;
            List<LabPeer> sources = new ArrayList<>();
            for (int h = 3; h <= 5; h++) {
                Path home = work.resolve("source-h" + h);
                Path game = Files.createDirectories(home.resolve("games").resolve(GAME));
                if (data == null) {
                    data = game.resolve("data.bin");
                    writeRandom(data, (long) MIB << 20);
                } else {
                    Files.createLink(game.resolve("data.bin"), data);
                }
                Files.writeString(game.resolve("version.ini"), "version=1\n");
                LabHost host = lab.host(h);
                LabPeer source = LabPeer.start(host, host.forward(LabPeer.HTTP_PORT), home, "source-h" + h, "--no-mdns");
                sources.add(source);
                all.add(source);
            }
            Map<String, LabPeer> receivers = new LinkedHashMap<>();
            for (int i = 0; i < PLANNERS.size(); i++) {
                String planner = PLANNERS.get(i);
                LabHost host = lab.host(i + 1);
                Path home = work.resolve("receiver-" + planner);
                // --verbose: with --console the log would go to the state folder; the planner line is read here
                List<String> args = new ArrayList<>(List.of("--no-mdns", "--console", "--verbose"));
                for (LabPeer s : sources) {
                    args.addAll(List.of("--peer", s.host().address() + ":" + LabPeer.QUIC_PORT));
                }
                LabPeer receiver = LabPeer.start(host, host.forward(LabPeer.HTTP_PORT), home, "receiver-" + planner,
                        args.toArray(new String[0]));
                receivers.put(planner, receiver);
                all.add(receiver);
            }
            for (LabPeer p : all) {
                p.awaitReady(180);
            }
            for (Map.Entry<String, LabPeer> e : receivers.entrySet()) {
                pin(e.getValue(), e.getKey());
            }

            // one download per receiver first, not counted: JIT, page cache and connections warm for both alike
            for (LabPeer s : sources) {
                s.host().shape(FAST_MBIT);
            }
            for (String planner : PLANNERS) {
                System.out.printf("warm-up, %s: %s%n", planner, download(receivers.get(planner), sources, data));
            }
            for (boolean slowOne : new boolean[] {false, true}) {
                for (int k = 0; k < sources.size(); k++) {
                    sources.get(k).host().shape(slowOne && k == sources.size() - 1 ? SLOW_MBIT : FAST_MBIT);
                }
                String variant = slowOne ? "one source at " + SLOW_MBIT + " Mbit/s" : "equal links";
                for (int round = 1; round <= ROUNDS; round++) {
                    List<String> order = new ArrayList<>(PLANNERS);
                    if (round % 2 == 0) {
                        Collections.reverse(order); // interleaved: neither planner always goes first
                    }
                    for (String planner : order) {
                        Round r = download(receivers.get(planner), sources, data);
                        results.computeIfAbsent(variant + "|" + planner, x -> new ArrayList<>()).add(r);
                        System.out.printf("%s, %s, round %d: %s%n", variant, planner, round, r);
                    }
                }
            }
            for (String planner : PLANNERS) {
                // the pin took: the receiver's engine says which planner plans its downloads
                LabPeer receiver = receivers.get(planner);
                receiver.awaitOutput(0, "plans with " + planner + "\\b", Duration.ofSeconds(1));
                receiver.keepLog(LabPeer.logDir(PlannerLabBenchmark.class));
            }
            sources.forEach(s -> s.keepLog(LabPeer.logDir(PlannerLabBenchmark.class)));
        } finally {
            FileTrees.delete(work);
        }
        String report = report(results) + "\nload average (1, 5, 15 min) before: " + loadBefore + "; after: "
                + loadAverage() + "\n";
        System.out.println(report);
        Path out = Paths.get("target", "benchmarks", "planner-lab.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertThat(results).hasSize(4);
    }

    /**
     * Pins the receiver's planner: {@code planner.target} in the Config Admin configuration of PID
     * {@code io.lanspread.download} (which the launcher created with the peer's state folder), typed on the
     * peer's Gogo console, whose reflective method calls reach Config Admin like any Java code.
     */
    private static void pin(LabPeer receiver, String planner) throws IOException {
        int from = receiver.logLineCount();
        receiver.console("pinCm = $.context getService ($.context getServiceReference org.osgi.service.cm.ConfigurationAdmin)");
        receiver.console("pinConf = $pinCm getConfiguration io.lanspread.download \"?\"");
        receiver.console("pinProps = $pinConf getProperties");
        receiver.console("$pinProps put planner.target \"(lanspread.planner.name=" + planner + ")\"");
        // downloadedBytes in the status is refreshed every progress interval (500 ms by default): sample finer
        receiver.console("$pinProps put progress.interval.millis " + PROGRESS_MILLIS);
        receiver.console("$pinConf update $pinProps");
        receiver.console("echo PINNED (($pinCm getConfiguration io.lanspread.download \"?\") getProperties)");
        String line = receiver.awaitOutput(from, "PINNED .*", Duration.ofSeconds(20)).group();
        assertThat(line).as("the download configuration after pinning").contains(
                "planner.target=(lanspread.planner.name=" + planner + ")").contains("state.dir=")
                .contains("progress.interval.millis=" + PROGRESS_MILLIS);
    }

    /** One download of the game on {@code receiver}; the copy is deleted again afterwards. */
    private static Round download(LabPeer receiver, List<LabPeer> sources, Path original) throws Exception {
        Conditions.awaitValue("the game listed as remote only from every source", 60, () -> {
            JsonNode g = receiver.game(GAME);
            if (g == null || g.get("local").asBoolean()) {
                return null;
            }
            for (LabPeer s : sources) {
                if (!receiver.listsGameFrom(GAME, s.peerId())) {
                    return null;
                }
            }
            return g;
        });
        long servedBefore = served(sources);
        long start = System.nanoTime();
        String id = post(receiver, "/api/games/" + GAME + "/download").get("id").asText();
        List<long[]> samples = new ArrayList<>(); // {nanos since start, downloadedBytes}
        long total = 0;
        JsonNode done = null;
        long deadline = start + Duration.ofMinutes(10).toNanos();
        while (done == null) {
            JsonNode d = find(receiver.get("/api/downloads"), id);
            long at = System.nanoTime() - start;
            if (d != null) {
                total = d.get("totalBytes").asLong();
                samples.add(new long[] {at, d.get("downloadedBytes").asLong()});
                if (!d.get("state").asText().equals("RUNNING") && !d.get("state").asText().equals("WAITING")) {
                    done = d;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("download did not end within 10 minutes: " + d);
            }
            pollInterval();
        }
        long elapsed = samples.get(samples.size() - 1)[0];
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        Path copy = receiver.gamesDir().resolve(GAME);
        assertThat(Files.mismatch(original, copy.resolve("data.bin"))).as("copy differs from the original").isEqualTo(-1L);
        long servedBytes = served(sources) - servedBefore;
        long t0 = firstAtLeast(samples, 1);
        long t95 = firstAtLeast(samples, (long) Math.ceil(total * 0.95));
        long t100 = firstAtLeast(samples, total);
        FileTrees.delete(copy);
        return new Round(elapsed / 1e9, (t100 - t95) / 1e9, t0 / 1e9, (t100 - t0) / 1e9, (double) servedBytes / total);
    }

    /** The machine's load average (other work on the machine shows in the numbers). */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Paths.get("/proc/loadavg")).split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The sampling interval of the progress curve, not a wait for state: the loop re-reads the status. */
    private static void pollInterval() {
        Deadlines.pause(PROGRESS_MILLIS);
    }

    private static long firstAtLeast(List<long[]> samples, long bytes) {
        for (long[] s : samples) {
            if (s[1] >= bytes) {
                return s[0];
            }
        }
        return samples.get(samples.size() - 1)[0];
    }

    private static long served(List<LabPeer> sources) throws Exception {
        long sum = 0;
        for (LabPeer s : sources) {
            sum += s.get("/api/status").get("servedBytes").asLong();
        }
        return sum;
    }

    private static JsonNode post(LabPeer peer, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + peer.apiPort() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new AssertionError("POST " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode find(JsonNode downloads, String id) {
        for (JsonNode d : downloads) {
            if (id.equals(d.get("id").asText())) {
                return d;
            }
        }
        return null;
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(9);
        byte[] block = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                out.write(ByteBuffer.wrap(block, 0, (int) Math.min(block.length, bytes - written)));
            }
        }
    }

    /**
     * One download: seconds in all (request to FINISHED), seconds of the last 5 % of the bytes, seconds to the
     * first verified byte (asking the holders, choosing the manifest) and from it to the last byte, and bytes
     * served / game size.
     */
    record Round(double seconds, double last5Seconds, double firstByteSeconds, double transferSeconds,
            double servedRatio) {
        @Override
        public String toString() {
            return String.format("%.2f s (first byte %.2f s, transfer %.2f s), last 5 %% %.2f s, served x%.3f", seconds,
                    firstByteSeconds, transferSeconds, last5Seconds, servedRatio);
        }
    }

    private static String report(Map<String, List<Round>> results) {
        StringBuilder r = new StringBuilder();
        r.append("lanspread planners in the LAN lab, ").append(ZonedDateTime.now()).append(", ").append(MIB)
                .append(" MiB (one file), three sources, ").append(ROUNDS).append(" rounds per planner and variant, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, progress every ")
                .append(PROGRESS_MILLIS).append(" ms\n\n");
        r.append("medians, with min-max; total = download request to FINISHED; transfer = first to last verified byte\n");
        r.append(String.format("%-26s %-9s %-22s %-7s %-22s %-22s %-7s%n", "variant", "planner", "total s", "MiB/s",
                "transfer s", "last 5 % s", "served/size"));
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            String[] key = e.getKey().split("\\|");
            List<Double> t = e.getValue().stream().map(Round::seconds).toList();
            List<Double> x = e.getValue().stream().map(Round::transferSeconds).toList();
            List<Double> l = e.getValue().stream().map(Round::last5Seconds).toList();
            List<Double> s = e.getValue().stream().map(Round::servedRatio).toList();
            medians.put(e.getKey(), new double[] {median(t), median(x), median(l)});
            r.append(String.format("%-26s %-9s %-22s %-7.1f %-22s %-22s x%.3f%n", key[0], key[1], spread(t),
                    MIB / median(t), spread(x), spread(l), median(s)));
        }
        r.append('\n');
        for (String variant : List.of("equal links", "one source at " + SLOW_MBIT + " Mbit/s")) {
            double[] even = medians.get(variant + "|even");
            double[] adaptive = medians.get(variant + "|adaptive");
            if (even != null && adaptive != null) {
                r.append(String.format("%s: adaptive throughput / even x%.2f (transfer only x%.2f); last 5 %%: adaptive"
                        + " time / even time x%.2f%n", variant, even[0] / adaptive[0], even[1] / adaptive[1],
                        adaptive[2] / even[2]));
            }
        }
        r.append("\nraw (round order):\n");
        results.forEach((k, v) -> {
            r.append(k.replace('|', ' ')).append(":\n");
            v.forEach(round -> r.append("  ").append(round).append('\n'));
        });
        return r.toString();
    }

    private static String spread(List<Double> values) {
        return String.format("%.2f (%.2f-%.2f)", median(values), Collections.min(values), Collections.max(values));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
