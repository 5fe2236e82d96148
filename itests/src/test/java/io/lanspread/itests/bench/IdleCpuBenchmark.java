package io.lanspread.itests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.lanspread.itests.bench.lan.MachineInfo;
import io.lanspread.itests.bench.lan.ProcStats;
import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;

/**
 * What an idle peer costs: {@code bench.peers} real {@code ./lanspread} peers (default 11, so that each
 * knows 10 others), one per LAN-lab host, started one after another with the product's defaults (mDNS
 * on, no {@code --peer}), empty libraries. Once every peer lists all the others and {@code bench.settle.seconds}
 * (600: the steady state, after the JIT has compiled the idle paths) passed, the CPU time of each peer's JVM
 * ({@code utime + stime} of {@code /proc/<pid>/stat}) is read at the start and the end of a quiet window of
 * {@code bench.idle.seconds} (120) in which nothing touches the peers (the test does not poll their APIs meanwhile). Reported per peer as a percentage of one core,
 * with the threads that used the most. Not part of the normal build; see docs/benchmarks.md.
 *
 * <p>Fails when a peer's idle CPU exceeds {@code bench.idle.max.percent} (0.5, the goal), or
 * when some peer no longer lists all the others at the end (the minute must include live peers).
 */
class IdleCpuBenchmark {

    private static final int PEERS = Integer.getInteger("bench.peers", 11);
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idle.seconds", 120);
    private static final int SETTLE_SECONDS = Integer.getInteger("bench.settle.seconds", 600);
    private static final double MAX_PERCENT = Double.parseDouble(System.getProperty("bench.idle.max.percent", "0.5"));
    /** LANSPREAD_JAVA_OPTS of every peer (say a debug log level to diagnose a run). */
    private static final String PEER_JAVA_OPTS = System.getProperty("bench.peer.java.opts", "");
    private static final int TOP_THREADS = 12;

    @Test
    void anIdlePeerWithTenKnownPeersCostsLittleCpu() throws Exception {
        Lab.assumeSupported();
        FileTrees.delete(LabPeer.logDir(getClass()));
        Path work = Files.createTempDirectory("lanspread-idle");
        List<LabPeer> peers = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        try (Lab lab = Lab.create(PEERS)) {
            List<Integer> api = new ArrayList<>();
            for (LabHost h : lab.hosts()) {
                api.add(h.forward(LabPeer.HTTP_PORT));
            }
            // one after another: what is measured is the idle peer, not the start-up (ManyPeersStartTogetherIT
            // starts ten at once); starting eleven at once on two cores also makes QUIC handshakes outlast
            // the client's request timeout, which can hang a peer's client (see docs/benchmarks.md)
            for (LabHost h : lab.hosts()) {
                peers.add(LabPeer.start(h, api.get(h.index() - 1), Files.createDirectories(work.resolve(h.name())),
                        "idle-" + h.name(), PEER_JAVA_OPTS.isBlank() ? Map.of()
                                : Map.of("LANSPREAD_JAVA_OPTS", PEER_JAVA_OPTS)).awaitReady(240));
            }
            long lastReady = peers.stream().mapToLong(LabPeer::readyNanos).max().orElseThrow();
            Map<String, Long> listed;
            try {
                listed = Deadlines.whenEach("listing every other peer", peers, LabPeer::name, lastReady,
                        Duration.ofSeconds(120), p -> listsAllOthers(p, peers));
            } catch (AssertionError e) {
                for (LabPeer p : peers) {
                    if (!listsAllOthers(p, peers)) {
                        ThreadDumps.keep(p.process(), LabPeer.logDir(getClass()).resolve(p.name() + ".threads.txt"));
                    }
                }
                throw e;
            }
            Deadlines.pause(TimeUnit.SECONDS.toMillis(SETTLE_SECONDS)); // start-up work (JIT, first fetches) ends

            Map<LabPeer, Double> cpuBefore = new HashMap<>();
            Map<LabPeer, ThreadTicks> threadsBefore = new HashMap<>();
            for (LabPeer p : peers) {
                cpuBefore.put(p, ProcStats.treeCpuSeconds(p.process().pid()));
                threadsBefore.put(p, ThreadTicks.of(ThreadDumps.jvmPid(p.process())));
            }
            long windowStart = System.nanoTime();
            Deadlines.pause(TimeUnit.SECONDS.toMillis(IDLE_SECONDS)); // the quiet window being measured
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            Map<LabPeer, Double> percent = new HashMap<>();
            Map<String, Double> threadSeconds = new HashMap<>();
            for (LabPeer p : peers) {
                percent.put(p, 100 * (ProcStats.treeCpuSeconds(p.process().pid()) - cpuBefore.get(p)) / seconds);
                ThreadTicks.of(ThreadDumps.jvmPid(p.process())).since(threadsBefore.get(p)).forEach((n, t) -> threadSeconds.merge(n, t, Double::sum));
            }
            for (LabPeer p : peers) {
                assertThat(listsAllOthers(p, peers)).as(p.name() + " still lists every other peer after the window")
                        .isTrue();
            }

            report.append(report(peers, percent, threadSeconds, seconds, listed));
            System.out.println(report);
            Path out = Paths.get("target", "benchmarks", "idle-cpu.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            double max = percent.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertThat(max).as("the busiest idle peer's CPU, %% of one core (goal <= %s)", MAX_PERCENT)
                    .isLessThanOrEqualTo(MAX_PERCENT);
        } finally {
            peers.forEach(p -> p.keepLog(LabPeer.logDir(getClass())));
            FileTrees.delete(work);
        }
    }

    private static boolean listsAllOthers(LabPeer observer, List<LabPeer> peers) throws Exception {
        List<String> listed = observer.listedPeerIds();
        return peers.stream().filter(p -> p != observer).allMatch(p -> listed.contains(p.peerId()));
    }

    private static String report(List<LabPeer> peers, Map<LabPeer, Double> percent, Map<String, Double> threadSeconds,
            double seconds, Map<String, Long> listed) {
        StringBuilder r = new StringBuilder();
        r.append("Idle CPU, ").append(ZonedDateTime.now()).append('\n');
        MachineInfo.describe().stream().filter(l -> !l.startsWith("tools")).forEach(l -> r.append("- ").append(l).append('\n'));
        r.append("- load average at the end: ").append(MachineInfo.loadAverage()).append('\n');
        r.append(String.format("- %d peers (each knows %d), quiet window %.1f s after %d s of settling; every peer listed"
                + " all others at ms after the last ready line: %s%n", peers.size(), peers.size() - 1, seconds,
                SETTLE_SECONDS, listed));
        double[] values = peers.stream().mapToDouble(percent::get).sorted().toArray();
        double mean = java.util.Arrays.stream(values).average().orElse(0);
        r.append(String.format("- CPU per peer, %% of one core: mean %.2f, min %.2f, median %.2f, max %.2f%n", mean,
                values[0], values[values.length / 2], values[values.length - 1]));
        r.append("- per peer:");
        peers.forEach(p -> r.append(String.format(" %s=%.2f", p.name(), percent.get(p))));
        r.append('\n');
        double total = threadSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        r.append(String.format("- threads that ran, CPU seconds summed over all peers (%.2f s in all; %% of a core"
                + " per peer):%n", total));
        threadSeconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP_THREADS).forEach(e -> r.append(String.format("    %-16s %6.2f s  %.3f %%%n", e.getKey(),
                        e.getValue(), 100.0 * e.getValue() / seconds / peers.size())));
        return r.toString();
    }
}
