package io.lanspread.itests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.LabPeer;
import io.lanspread.itests.support.MetatypeDefaults;

/**
 * Discovery and library-change latency of real {@code ./lanspread} peers in the LAN lab, printed as
 * ratios against bare JmDNS (advertise -> resolve between two lab hosts) measured in the same run. Not
 * part of the normal build (the name does not end in IT); see docs/benchmarks.md for the command.
 *
 * <p>Per round: the subject peer starts on h1 with a fresh identity while h2 and h3 run observer peers;
 * "listed" is when both observers list it under GET /api/peers (polled every 20 ms); then a game is
 * copied into the subject's folder and "library" is when both observers list it; then the subject is
 * stopped with SIGTERM and "goodbye" is when both observers have dropped it.
 */
class DiscoveryLatencyBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final String PROBE_TYPE = "_lsprobe._udp.local.";
    private static final Pattern EPOCH = Pattern.compile("(\\d{10,})");

    @Test
    void discoveryAndLibraryLatencyAgainstBareJmdns() throws Exception {
        Lab.assumeSupported();
        Path work = Files.createTempDirectory("lanspread-bench");
        Map<String, List<Long>> baseline = new LinkedHashMap<>();
        Map<String, List<Long>> measured = new LinkedHashMap<>();
        try (Lab lab = Lab.create(3)) {
            measureBaseline(lab, work, baseline);
            measureLanspread(lab, work, measured);
        } finally {
            FileTrees.delete(work);
        }
        String report = report(baseline, measured);
        System.out.println(report);
        Path out = Paths.get("target", "benchmarks", "discovery-latency.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertThat(measured.get("start -> listed")).hasSize(ROUNDS);
    }

    /** Bare JmDNS: a resolver on h2, one fresh advertiser JVM per round on h1. */
    private void measureBaseline(Lab lab, Path work, Map<String, List<Long>> results) throws Exception {
        LabHost advertiserHost = lab.host(1);
        LabHost resolverHost = lab.host(2);
        Path resolverLog = work.resolve("probe-resolver.log");
        Process resolver = resolverHost.start(probeCommand(lab, "resolve", resolverHost.address(), "probe-h2",
                PROBE_TYPE), work, resolverLog);
        Lab.awaitLogLine(resolver, resolverLog, "^READY", Duration.ofSeconds(30));
        for (int round = 1; round <= ROUNDS; round++) {
            String instance = "probe-" + round + "-" + Long.toHexString(System.nanoTime());
            Path log = work.resolve("probe-advertiser-" + round + ".log");
            long launched = System.currentTimeMillis();
            Process advertiser = advertiserHost.start(probeCommand(lab, "advertise", advertiserHost.address(),
                    "probe-h1-" + round, PROBE_TYPE, instance, "42420"), work, log);
            String resolved = Lab.awaitLogLine(resolver, resolverLog, "^RESOLVED " + Pattern.quote(instance) + " ",
                    Duration.ofSeconds(30));
            assertThat(resolved).as("resolved to h1's address").contains(advertiserHost.address() + ":42420");
            long resolvedAt = epoch(resolved.split(" ")[2]);
            long advertisingAt = epoch(Lab.awaitLogLine(advertiser, log, "^ADVERTISING ", Duration.ofSeconds(5)));
            long registeredAt = epoch(Lab.awaitLogLine(advertiser, log, "^REGISTERED ", Duration.ofSeconds(30)));
            add(results, "start -> resolved", resolvedAt - launched);
            add(results, "advertise -> resolved", resolvedAt - advertisingAt);
            add(results, "registerService() call", registeredAt - advertisingAt);
            System.out.printf("baseline round %d: start -> resolved %d ms, advertise -> resolved %d ms%n", round,
                    resolvedAt - launched, resolvedAt - advertisingAt);
            advertiser.destroy();
            advertiser.waitFor(10, TimeUnit.SECONDS);
        }
        resolver.destroy();
        resolver.waitFor(10, TimeUnit.SECONDS);
    }

    private void measureLanspread(Lab lab, Path work, Map<String, List<Long>> results) throws Exception {
        int[] api = new int[4];
        for (LabHost h : lab.hosts()) {
            api[h.index()] = h.forward(LabPeer.HTTP_PORT);
        }
        List<LabPeer> observers = new ArrayList<>();
        for (int i = 2; i <= 3; i++) {
            observers.add(LabPeer.start(lab.host(i), api[i], Files.createDirectories(work.resolve("observer-h" + i)),
                    "observer-h" + i));
        }
        for (LabPeer o : observers) {
            o.awaitReady(120);
        }
        Path staged = GameFixture.writeSampleGame(Files.createDirectories(work.resolve("staging")), "bench-game",
                "1.0", 3);
        for (int round = 1; round <= ROUNDS; round++) {
            LabPeer subject = LabPeer.start(lab.host(1), api[1],
                    Files.createDirectories(work.resolve("subject-" + round)), "subject-" + round);
            subject.awaitReady(120);
            long listedAt = lastTime(observers, o -> o.listedPeerIds().contains(subject.peerId()),
                    "subject-" + round + " listed", subject.startedNanos(), Duration.ofSeconds(60));
            add(results, "start -> listed", millis(listedAt - subject.startedNanos()));
            add(results, "ready -> listed", millis(listedAt - subject.readyNanos()));
            add(results, "start -> ready", millis(subject.readyNanos() - subject.startedNanos()));

            FileTrees.copy(staged, subject.gamesDir().resolve("bench-game"));
            long copiedAt = System.nanoTime();
            long gameAt = lastTime(observers, o -> o.listsGameFrom("bench-game", subject.peerId()),
                    "bench-game listed", copiedAt, Duration.ofSeconds(60));
            add(results, "game copied -> listed", millis(gameAt - copiedAt));

            long termAt = subject.terminate();
            long goneAt = lastTime(observers, o -> !o.listedPeerIds().contains(subject.peerId()), "subject dropped",
                    termAt, Duration.ofSeconds(60));
            add(results, "SIGTERM -> dropped", millis(goneAt - termAt));
            subject.awaitExit(15);
            subject.keepLog(LabPeer.logDir(getClass()));
            System.out.printf("lanspread round %d: %s%n", round, lastOfEach(results));
        }
        observers.forEach(o -> o.keepLog(LabPeer.logDir(getClass())));
    }

    private static Map<String, Long> lastOfEach(Map<String, List<Long>> results) {
        Map<String, Long> last = new LinkedHashMap<>();
        results.forEach((k, v) -> last.put(k, v.get(v.size() - 1)));
        return last;
    }

    @FunctionalInterface
    private interface ObserverCheck {
        boolean holds(LabPeer observer) throws Exception;
    }

    /** Polls every observer until each has satisfied {@code check}; the nanoTime when the last one did. */
    private static long lastTime(List<LabPeer> observers, ObserverCheck check, String what, long start, Duration limit) {
        long last = start;
        for (LabPeer o : observers) {
            long ms = Deadlines.within(what + " on " + o.name(), start, limit, () -> check.holds(o), o::logText);
            last = Math.max(last, start + TimeUnit.MILLISECONDS.toNanos(ms));
        }
        return last;
    }

    private List<String> probeCommand(Lab lab, String... args) {
        List<String> cmd = new ArrayList<>(lab.javaCommand(JmdnsProbe.class, args));
        int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, cmd.get(cp) + File.pathSeparator + jar("org/jmdns/jmdns/3.6.1/jmdns-3.6.1.jar")
                + File.pathSeparator + jar("org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"));
        return cmd;
    }

    private static String jar(String relative) {
        Path repo = Paths.get(System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository"));
        Path jar = repo.resolve(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + " (it is in the runtime's bundle set; build the runtime)");
        }
        return jar.toString();
    }

    private static long epoch(String text) {
        Matcher m = EPOCH.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no epoch millis in: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void add(Map<String, List<Long>> results, String metric, long value) {
        results.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
    }

    private static String report(Map<String, List<Long>> baseline, Map<String, List<Long>> measured) {
        long bStart = median(baseline.get("start -> resolved"));
        long bAdvertise = median(baseline.get("advertise -> resolved"));
        Optional<Long> debounce = MetatypeDefaults.find("io.lanspread.catalog", "debounce", "settle", "quiet")
                .map(MetatypeDefaults::millis);
        StringBuilder s = new StringBuilder();
        s.append("lanspread discovery latency benchmark, ").append(ZonedDateTime.now()).append(", ")
                .append(ROUNDS).append(" rounds, ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs\n\n");
        s.append("baseline: bare JmDNS 3.6.1 between two lab hosts (ms)\n");
        baseline.forEach((k, v) -> s.append(String.format("  %-26s %s%n", k, stats(v))));
        s.append("\nlanspread (ms) and ratio to the baseline median\n");
        row(s, measured, "start -> listed", bStart, "JmDNS start -> resolved");
        row(s, measured, "ready -> listed", bAdvertise, "JmDNS advertise -> resolved");
        row(s, measured, "start -> ready", bStart, "JmDNS start -> resolved");
        row(s, measured, "game copied -> listed", bAdvertise, "JmDNS advertise -> resolved");
        if (debounce.isPresent() && debounce.get() > 0) {
            row(s, measured, "game copied -> listed", debounce.get(), "catalog debounce " + debounce.get() + " ms");
        } else {
            s.append("  (catalog debounce: not found in io.lanspread.catalog's metatype)\n");
        }
        row(s, measured, "SIGTERM -> dropped", bAdvertise, "JmDNS advertise -> resolved");
        s.append("\nraw values (ms, in round order)\n");
        baseline.forEach((k, v) -> s.append(String.format("  %-26s %s%n", k, v)));
        measured.forEach((k, v) -> s.append(String.format("  %-26s %s%n", k, v)));
        return s.toString();
    }

    private static void row(StringBuilder s, Map<String, List<Long>> measured, String metric, long base, String baseName) {
        List<Long> v = measured.get(metric);
        List<Long> sorted = v.stream().sorted().toList();
        s.append(String.format("  %-26s %s   ratio x%.2f / x%.2f / x%.2f  vs %s (%d ms)%n", metric, stats(v),
                ratio(sorted.get(0), base), ratio(median(v), base), ratio(sorted.get(sorted.size() - 1), base),
                baseName, base));
    }

    private static double ratio(long value, long base) {
        return base == 0 ? Double.NaN : (double) value / base;
    }

    private static String stats(List<Long> v) {
        List<Long> sorted = v.stream().sorted().toList();
        return String.format("min %6d  median %6d  max %6d", sorted.get(0), median(v), sorted.get(sorted.size() - 1));
    }

    private static long median(List<Long> v) {
        List<Long> sorted = v.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
