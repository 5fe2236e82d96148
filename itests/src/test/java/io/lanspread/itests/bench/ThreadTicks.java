package io.lanspread.itests.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU ticks (utime + stime, in USER_HZ) of every thread of one process, read from
 * {@code /proc/<pid>/task/<tid>/stat}, keyed by thread id with its name ({@code comm}, which the JVM sets
 * to the first 15 characters of the Java thread name). Two snapshots show which threads ran in between.
 */
record ThreadTicks(Map<Long, Entry> threads) {

    /** USER_HZ, the unit of the times in /proc. */
    private static final double TICKS_PER_SECOND = clockTicks();

    record Entry(String name, long ticks) {
    }

    static ThreadTicks of(long pid) {
        Map<Long, Entry> threads = new HashMap<>();
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Entry(name, Long.parseLong(f[11]) + Long.parseLong(f[12])));
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended between listing and reading
                }
            });
        } catch (IOException gone) {
            // the process ended: no threads
        }
        return new ThreadTicks(threads);
    }

    /**
     * CPU seconds per thread name used since {@code before}, names with their digits folded
     * ("epollEventLoopGroup-#-#"), so that pools of threads add up. A thread that started meanwhile counts
     * from zero; one that ended is lost (its time goes to the process, not to any thread here).
     */
    Map<String, Double> since(ThreadTicks before) {
        Map<String, Double> byName = new HashMap<>();
        threads.forEach((tid, now) -> {
            Entry then = before.threads.get(tid);
            long used = now.ticks() - (then == null ? 0 : then.ticks());
            if (used > 0) {
                byName.merge(now.name().replaceAll("\\d+", "#"), used / TICKS_PER_SECOND, Double::sum);
            }
        });
        return byName;
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                return Double.parseDouble(out);
            }
        } catch (IOException e) {
            // the usual value below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
