package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Deadlines;

/**
 * One run of a short-lived download client (curl, aria2c) inside a lab host, with its CPU time read exactly
 * from {@code /proc}: the client runs under a parked {@code sh}, which times it ({@code date +%s%N} before
 * the client and after {@code sync FILE}, i.e. fsync of the downloaded file), prints one line and waits on
 * its standard input. While it waits, the client has been reaped by it, so the sh's {@code cutime + cstime}
 * in {@code /proc/<sh>/stat} is the client's CPU (plus sync and date, a few ms). The peak RSS of the
 * client is sampled from its {@code VmHWM} every 20 ms while it runs.
 */
public final class ClientRun {

    private static final String SCRIPT = "out=$1; shift; s=$(date +%s%N); \"$@\"; rc=$?; m=$(date +%s%N);"
            + " if [ $rc -eq 0 ] && [ \"$out\" != - ]; then sync \"$out\"; rc=$?; fi; e=$(date +%s%N);"
            + " echo \"LSBENCH rc=$rc start=$s client=$m end=$e\"; read -r _; exit $rc";
    private static final Pattern DONE = Pattern.compile("LSBENCH rc=(\\d+) start=(\\d+) client=(\\d+) end=(\\d+)");

    /**
     * Seconds from the client's start to its file being on disk, of which the last {@code syncSeconds} were
     * the fsync after the client ended; its CPU seconds; its peak RSS in KiB.
     */
    public record Result(double seconds, double syncSeconds, double cpuSeconds, long peakRssKib) {

        /** A note for the report: how long the fsync after the client took. */
        public String syncNote() {
            return String.format("of which fsync after the client %.2f s", syncSeconds);
        }
    }

    private ClientRun() {
    }

    /**
     * Runs {@code command} in {@code host}, which writes {@code output} (fsynced after it; null: no file);
     * fails when it exits non-zero or takes longer than {@code timeout}. Its output goes to {@code log}.
     */
    public static Result run(LabHost host, Path output, List<String> command, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", SCRIPT, "lsbench", output == null ? "-" : output.toString()));
        cmd.addAll(command);
        Process sh = host.start(cmd, log.getParent(), log);
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> sample(sh.pid(), peak), "hwm-" + command.get(0));
        sampler.setDaemon(true);
        sampler.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        Matcher done = null;
        try {
            while (done == null) {
                Matcher m = DONE.matcher(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
                if (m.find()) {
                    done = m;
                } else if (!sh.isAlive()) {
                    throw new AssertionError(command.get(0) + " ended without its report (exit " + sh.exitValue()
                            + "): " + Files.readString(log));
                } else if (System.nanoTime() > deadline) {
                    throw new AssertionError(command.get(0) + " still running after " + timeout.toSeconds() + " s: "
                            + Files.readString(log));
                } else {
                    Deadlines.pause(20);
                }
            }
            double cpu = ProcStats.childrenCpuSeconds(sh.pid());
            sampler.interrupt();
            sampler.join();
            int rc = Integer.parseInt(done.group(1));
            release(sh);
            if (rc != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + rc + "): "
                        + Files.readString(log));
            }
            long start = Long.parseLong(done.group(2));
            long client = Long.parseLong(done.group(3));
            long end = Long.parseLong(done.group(4));
            return new Result((end - start) / 1e9, (end - client) / 1e9, cpu, peak.get());
        } finally {
            sampler.interrupt();
            if (sh.isAlive()) {
                sh.destroyForcibly();
            }
        }
    }

    /** Lets the parked sh exit (its read returns on end of input). */
    private static void release(Process sh) throws IOException, InterruptedException {
        OutputStream in = sh.getOutputStream();
        in.close();
        if (!sh.waitFor(10, TimeUnit.SECONDS)) {
            sh.destroyForcibly();
        }
    }

    /** Keeps the highest VmHWM seen among the sh's children (the client; date and sync are tiny). */
    private static void sample(long sh, AtomicLong peak) {
        while (!Thread.currentThread().isInterrupted()) {
            for (long child : ProcStats.children(sh)) {
                try {
                    long hwm = ProcStats.hwmKib(child);
                    peak.accumulateAndGet(hwm, Math::max);
                } catch (IllegalStateException gone) {
                    // it ended between listing and reading
                }
            }
            try {
                // the sampling interval of the peak RSS, not a wait for state
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
