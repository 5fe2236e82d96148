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
 * Swarming in the LAN lab (issue 11): one seeder (h1) and four downloaders (h2-h5), every host's link shaped
 * with tc tbf (both directions, {@code swarm.rate.mbit}, 100 by default). Per round, three runs: one download
 * alone (h2; the ideal), all four starting at once with swarming on (the default), and all four at once with
 * {@code swarm.enabled=false} (typed into each downloader's Config Admin on its Gogo console). Measured: the
 * time from the first request to the last download FINISHED, the bytes the seeder sent on its interface
 * ({@code /sys/class/net/eth0/statistics/tx_bytes} in its namespace) against the game's size, and the
 * machine's CPU use over the run (to show the 2 cores are not the bottleneck). Every copy is checked
 * byte-identical and deleted before the next run. Not part of the normal build (the name does not end in IT).
 */
class SwarmBenchmark {

    private static final int ROUNDS = Integer.getInteger("swarm.rounds", 1);
    private static final int MIB = Integer.getInteger("swarm.game.mib", 1024);
    private static final int RATE_MBIT = Integer.getInteger("swarm.rate.mbit", 100);
    /** {@code -Dswarm.off=false} leaves out the run without swarming (the slowest), for quicker comparisons. */
    private static final boolean WITH_SWARMING_OFF = Boolean.parseBoolean(System.getProperty("swarm.off", "true"));
    private static final String GAME = "swarm";
    private static final int DOWNLOADERS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One run: seconds until every download finished, each download's seconds, seeder bytes / game size. */
    record Run(String variant, double seconds, List<Double> each, double seederRatio, double cpuPercent) {
        @Override
        public String toString() {
            return String.format("%s: %.1f s (each %s), seeder sent x%.2f the game, CPU %.0f %%", variant, seconds,
                    each.stream().map(s -> String.format("%.1f", s)).toList(), seederRatio, cpuPercent);
        }
    }

    @Test
    void fourDownloadersFromOneSeederWithAndWithoutSwarming() throws Exception {
        Lab.assumeSupported();
        Path work = Files.createTempDirectory("lanspread-swarm-bench");
        List<Run> runs = new ArrayList<>();
        try (Lab lab = Lab.create(1 + DOWNLOADERS)) {
            LabHost seederHost = lab.host(1);
            Path seederHome = work.resolve("seeder");
            Path original = Files.createDirectories(seederHome.resolve("games").resolve(GAME)).resolve("data.bin");
            writeRandom(original, (long) MIB << 20);
            Files.writeString(original.resolveSibling("version.ini"), "version=1\n");
            LabPeer seeder = LabPeer.start(seederHost, seederHost.forward(LabPeer.HTTP_PORT), seederHome, "seeder",
                    "--no-mdns");
            List<LabPeer> downloaders = new ArrayList<>();
            for (int h = 2; h <= 1 + DOWNLOADERS; h++) {
                LabHost host = lab.host(h);
                List<String> args = new ArrayList<>(List.of("--no-mdns", "--console", "--verbose"));
                for (int other = 1; other <= 1 + DOWNLOADERS; other++) {
                    if (other != h) {
                        args.addAll(List.of("--peer", lab.host(other).address() + ":" + LabPeer.QUIC_PORT));
                    }
                }
                downloaders.add(LabPeer.start(host, host.forward(LabPeer.HTTP_PORT), work.resolve("d" + h), "d" + h,
                        args.toArray(new String[0])));
            }
            seeder.awaitReady(180);
            for (LabPeer d : downloaders) {
                d.awaitReady(180);
            }
            for (LabHost host : lab.hosts()) {
                host.shape(RATE_MBIT);
            }
            for (int round = 1; round <= ROUNDS; round++) {
                runs.add(run("one alone", seeder, downloaders.subList(0, 1), downloaders, original, true));
                runs.add(run("four, swarming", seeder, downloaders, downloaders, original, true));
                int perRound = 2;
                if (WITH_SWARMING_OFF) {
                    runs.add(run("four, swarming off", seeder, downloaders, downloaders, original, false));
                    perRound++;
                }
                runs.subList(runs.size() - perRound, runs.size()).forEach(r -> System.out.println("round " + r));
            }
            seeder.keepLog(LabPeer.logDir(SwarmBenchmark.class));
            downloaders.forEach(d -> d.keepLog(LabPeer.logDir(SwarmBenchmark.class)));
        } finally {
            FileTrees.delete(work);
        }
        String report = report(runs);
        System.out.println(report);
        Path out = Paths.get("target", "benchmarks", "swarm-lab.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertThat(runs).hasSize((WITH_SWARMING_OFF ? 3 : 2) * ROUNDS);
    }

    /** One run: {@code active} download at once; every copy checked and deleted afterwards. */
    private Run run(String variant, LabPeer seeder, List<LabPeer> active, List<LabPeer> all, Path original,
            boolean swarm) throws Exception {
        for (LabPeer d : all) {
            awaitOnlyTheSeederHasIt(d, seeder);
            setSwarm(d, swarm);
        }
        long seederTx0 = txBytes(seeder.host());
        long[] cpu0 = cpuTicks();
        long start = System.nanoTime();
        Map<LabPeer, String> ids = new LinkedHashMap<>();
        for (LabPeer d : active) {
            ids.put(d, post(d, "/api/games/" + GAME + "/download").get("id").asText());
        }
        Map<LabPeer, Double> finished = new LinkedHashMap<>();
        long deadline = start + Duration.ofMinutes(30).toNanos();
        while (finished.size() < active.size()) {
            for (Map.Entry<LabPeer, String> e : ids.entrySet()) {
                if (finished.containsKey(e.getKey())) {
                    continue;
                }
                JsonNode d = find(e.getKey().get("/api/downloads"), e.getValue());
                if (d != null && !d.get("state").asText().equals("RUNNING") && !d.get("state").asText().equals("WAITING")) {
                    assertThat(d.get("state").asText()).as("%s on %s", d, e.getKey().name()).isEqualTo("FINISHED");
                    finished.put(e.getKey(), (System.nanoTime() - start) / 1e9);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(variant + ": not every download ended within 30 minutes: " + finished);
            }
            Deadlines.pause(100); // the sampling interval of the end times, not a wait for a state
        }
        double seconds = Collections.max(finished.values());
        long[] cpu1 = cpuTicks();
        double seederRatio = (txBytes(seeder.host()) - seederTx0) / (double) Files.size(original);
        double busy = 100.0 * (cpu1[0] - cpu0[0]) / Math.max(1, cpu1[1] - cpu0[1]);
        for (LabPeer d : active) {
            Path copy = d.gamesDir().resolve(GAME);
            assertThat(Files.mismatch(original, copy.resolve("data.bin"))).as("%s: copy on %s", variant, d.name())
                    .isEqualTo(-1L);
        }
        for (LabPeer d : active) {
            FileTrees.delete(d.gamesDir().resolve(GAME));
        }
        return new Run(variant, seconds, List.copyOf(finished.values()), seederRatio, busy);
    }

    /** The downloader lists the game as remote, from the seeder only (copies of earlier runs are gone). */
    private static void awaitOnlyTheSeederHasIt(LabPeer d, LabPeer seeder) {
        Conditions.awaitValue(d.name() + " lists the game from the seeder only", 120, () -> {
            JsonNode g = d.game(GAME);
            if (g == null || g.get("local").asBoolean() || g.get("peers") == null || g.get("peers").size() != 1
                    || !d.listsGameFrom(GAME, seeder.peerId())) {
                return null;
            }
            return g;
        });
    }

    /**
     * {@code swarm.enabled} in the Config Admin configuration of PID {@code io.lanspread.download}, typed on the
     * peer's Gogo console (the launcher writes that configuration at start; it has no flag for it). Taken by the
     * downloads started from then on.
     */
    private static void setSwarm(LabPeer peer, boolean on) throws IOException {
        int from = peer.logLineCount();
        peer.console("swCm = $.context getService ($.context getServiceReference org.osgi.service.cm.ConfigurationAdmin)");
        peer.console("swConf = $swCm getConfiguration io.lanspread.download \"?\"");
        peer.console("swProps = $swConf getProperties");
        peer.console("$swProps put swarm.enabled " + on);
        peer.console("$swConf update $swProps");
        peer.console("echo SWARM (($swCm getConfiguration io.lanspread.download \"?\") getProperties)");
        String line = peer.awaitOutput(from, "SWARM .*", Duration.ofSeconds(20)).group();
        assertThat(line).as("the download configuration of %s", peer.name()).contains("swarm.enabled=" + on);
    }

    private static long txBytes(LabHost host) {
        return Long.parseLong(host.exec("cat", "/sys/class/net/" + "eth0" + "/statistics/tx_bytes").output().strip());
    }

    /** {busy, total} jiffies of the whole machine, from /proc/stat. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total - idle, total};
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
        SplittableRandom random = new SplittableRandom(11);
        byte[] block = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                out.write(ByteBuffer.wrap(block, 0, (int) Math.min(block.length, bytes - written)));
            }
        }
    }

    private static String report(List<Run> runs) {
        StringBuilder r = new StringBuilder();
        r.append("lanspread swarming in the LAN lab, ").append(ZonedDateTime.now()).append(", ").append(MIB)
                .append(" MiB (one file), one seeder and ").append(DOWNLOADERS).append(" downloaders, every link ")
                .append(RATE_MBIT).append(" Mbit/s (tc tbf), ").append(ROUNDS).append(" round(s), ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n\n");
        r.append(String.format("%-20s %-22s %-10s %-14s %-8s%n", "run", "all finished, s", "x alone", "seeder sent",
                "CPU %"));
        Map<String, List<Run>> byVariant = new LinkedHashMap<>();
        runs.forEach(run -> byVariant.computeIfAbsent(run.variant(), k -> new ArrayList<>()).add(run));
        double alone = median(byVariant.getOrDefault("one alone", List.of()).stream().map(Run::seconds).toList());
        byVariant.forEach((variant, list) -> {
            List<Double> s = list.stream().map(Run::seconds).toList();
            r.append(String.format("%-20s %-22s x%-9.2f x%-13.2f %-8.0f%n", variant, spread(s), median(s) / alone,
                    median(list.stream().map(Run::seederRatio).toList()),
                    median(list.stream().map(Run::cpuPercent).toList())));
        });
        r.append("\nraw:\n");
        runs.forEach(run -> r.append("  ").append(run).append('\n'));
        return r.toString();
    }

    private static String spread(List<Double> values) {
        return String.format("%.1f (%.1f-%.1f)", median(values), Collections.min(values), Collections.max(values));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
