package io.lanspread.itests.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lanspread.itests.bench.lan.JvmHeap;
import io.lanspread.itests.bench.lan.ProcStats;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.LabPeer;

/**
 * The memory of a peer's JVM as the kernel and the JVM report it: resident set now ({@code VmRSS}) and at its
 * peak ({@code VmHWM}, never reset here: the peak over the peer's whole life), heap in use ({@code jcmd
 * GC.heap_info}), and the native memory the JVM allocated for direct buffers ({@code jcmd VM.native_memory},
 * category "Other", where {@code ByteBuffer.allocateDirect} goes; needs {@code -XX:NativeMemoryTracking=summary}).
 * A sampler records the RSS every 200 ms, so that a test can tell whether it still grows.
 */
final class PeerMemory implements AutoCloseable {

    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern FLAG = Pattern.compile("MaxDirectMemorySize\\s+= (\\d+)");

    /** One RSS reading: milliseconds since the sampler started, KiB. */
    record Sample(long millis, long rssKib) {
    }

    private final long pid;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService sampler;

    PeerMemory(LabPeer peer) {
        this.pid = jvmPid(peer);
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rss-sampler-" + peer.name());
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            long rss = rssKib();
            synchronized (samples) {
                samples.add(new Sample(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), rss));
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    long millisNow() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    long rssKib() {
        return statusKib("VmRSS:");
    }

    /** The peak resident set of the JVM since it started. */
    long peakRssKib() {
        return ProcStats.hwmKib(pid);
    }

    /** Heap in use (KiB) or -1. */
    long heapUsedKib() {
        return JvmHeap.usedKib(pid);
    }

    /** Committed native memory of NMT's "Other" category (direct buffers), in KiB, or -1 without NMT. */
    long directKib() {
        Matcher m = OTHER.matcher(jcmd("VM.native_memory", "summary"));
        return m.find() ? Long.parseLong(m.group(2)) : -1;
    }

    /** The JVM's -XX:MaxDirectMemorySize (0: the default, as large as the maximum heap). */
    long maxDirectMemoryFlag() {
        Matcher m = FLAG.matcher(jcmd("VM.flags", "-all"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The largest RSS sampled at or after {@code fromMillis}. */
    long maxRssSince(long fromMillis) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.millis() >= fromMillis).mapToLong(Sample::rssKib).max().orElse(-1);
        }
    }

    private long statusKib(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private String jcmd(String... command) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The peer's JVM: the lab process itself ({@code ip netns exec}, {@code env} and ./lanspread all exec). */
    static long jvmPid(LabPeer peer) {
        long pid = peer.process().pid();
        return Conditions.awaitValue("the JVM of " + peer, 30, () -> {
            for (long p : ProcStats.tree(pid)) {
                if (ProcStats.comm(p).equals("java")) {
                    return p;
                }
            }
            return null;
        });
    }

    static String mib(long kib) {
        return String.format("%.0f MiB", kib / 1024.0);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
