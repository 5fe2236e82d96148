package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lanspread.itests.support.Deadlines;

/**
 * What happens before every timing: {@code sync} (the previous round's writes on disk), then a wait until the
 * benchmark's long-lived processes are quiet (a peer may still be hashing what it received, Syncthing
 * updating its database), so that one tool's tail does not eat into the next tool's CPU.
 */
public final class Settle {

    /** Quiet: less than 10 % of one core over a 250 ms window, summed over the watched processes. */
    private static final long WINDOW_MILLIS = 250;
    private static final double MAX_CPU_IN_WINDOW = 0.025;
    private static final long DEADLINE_SECONDS = 30;

    private Settle() {
    }

    /** Syncs and waits for quiet; returns an empty string, or a note when the processes did not get quiet in 30 s. */
    public static String beforeTiming(List<Long> pids) throws IOException, InterruptedException {
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (!sync.waitFor(120, TimeUnit.SECONDS) || sync.exitValue() != 0) {
            throw new IllegalStateException("sync failed or hung");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        double used = Double.NaN;
        while (System.nanoTime() < deadline) {
            double before = cpu(pids);
            Deadlines.pause(WINDOW_MILLIS);
            used = cpu(pids) - before;
            if (used < MAX_CPU_IN_WINDOW) {
                return "";
            }
        }
        return String.format("not quiet before timing (%.0f %% of a core)", used / (WINDOW_MILLIS / 1000.0) * 100);
    }

    private static double cpu(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            try {
                sum += ProcStats.treeCpuSeconds(pid);
            } catch (IllegalStateException gone) {
                // a process that ended is quiet
            }
        }
        return sum;
    }
}
