package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and peak memory of processes, read from {@code /proc}: {@code utime + stime} of
 * {@code /proc/<pid>/stat} (own threads), {@code cutime + cstime} (children it has waited for),
 * {@code VmHWM} of {@code /proc/<pid>/status}, reset to the current RSS by writing 5 to
 * {@code /proc/<pid>/clear_refs}. Processes of the lab's network namespaces share this JVM's pid namespace,
 * so their pids are the same here.
 */
public final class ProcStats {

    /** USER_HZ: the unit of the times in /proc/<pid>/stat; 100 on every Linux this runs on. */
    static final double TICKS_PER_SECOND = clockTicks();

    private ProcStats() {
    }

    /** utime + stime of {@code pid} in seconds: the CPU its threads used so far. */
    public static double cpuSeconds(long pid) {
        String[] f = statFields(pid);
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /** cutime + cstime of {@code pid} in seconds: the CPU of the children it has waited for. */
    public static double childrenCpuSeconds(long pid) {
        String[] f = statFields(pid);
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
    }

    /** {@link #cpuSeconds} summed over {@code pid} and its live descendants. */
    public static double treeCpuSeconds(long pid) {
        double sum = 0;
        for (long p : tree(pid)) {
            try {
                sum += cpuSeconds(p);
            } catch (IllegalStateException gone) {
                // a descendant that ended between listing and reading
            }
        }
        return sum;
    }

    /**
     * The UDP datagrams received and sent so far in the network namespace of {@code pid} ({@code InDatagrams}
     * and {@code OutDatagrams} of {@code /proc/<pid>/net/snmp}); a GSO send of several datagrams may count once.
     */
    public static long[] udpDatagrams(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "net", "snmp"),
                    StandardCharsets.US_ASCII);
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp: ") && lines.get(i + 1).startsWith("Udp: ")) {
                    List<String> names = List.of(lines.get(i).split("\\s+"));
                    String[] values = lines.get(i + 1).split("\\s+");
                    return new long[] {Long.parseLong(values[names.indexOf("InDatagrams")]),
                            Long.parseLong(values[names.indexOf("OutDatagrams")])};
                }
            }
            throw new IllegalStateException("no Udp lines in /proc/" + pid + "/net/snmp");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/net/snmp: " + e, e);
        }
    }

    /** VmHWM of {@code pid} in KiB (0 when the process has no memory, say a zombie). */
    public static long hwmKib(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** {@link #hwmKib} summed over {@code pid} and its live descendants. */
    public static long treeHwmKib(long pid) {
        long sum = 0;
        for (long p : tree(pid)) {
            try {
                sum += hwmKib(p);
            } catch (IllegalStateException gone) {
                // ended meanwhile
            }
        }
        return sum;
    }

    /** Resets VmHWM of {@code pid} and its live descendants to their current RSS (needs root). */
    public static void resetTreeHwm(long pid) {
        for (long p : tree(pid)) {
            try {
                Files.writeString(Path.of("/proc", String.valueOf(p), "clear_refs"), "5");
            } catch (IOException e) {
                if (Files.exists(Path.of("/proc", String.valueOf(p)))) {
                    throw new IllegalStateException("cannot reset the peak RSS of " + p + ": " + e, e);
                }
            }
        }
    }

    /** {@code pid} and its live descendants, from {@code /proc/<pid>/task/<tid>/children}. */
    public static List<Long> tree(long pid) {
        List<Long> all = new ArrayList<>();
        all.add(pid);
        for (int i = 0; i < all.size(); i++) {
            all.addAll(children(all.get(i)));
        }
        return all;
    }

    /** The live children of {@code pid} (of any of its threads). */
    public static List<Long> children(long pid) {
        List<Long> kids = new ArrayList<>();
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        try (var list = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) list::iterator) {
                try {
                    String text = Files.readString(task.resolve("children"), StandardCharsets.US_ASCII).strip();
                    if (!text.isEmpty()) {
                        for (String k : text.split("\\s+")) {
                            kids.add(Long.parseLong(k));
                        }
                    }
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException gone) {
            // the process ended
        }
        return kids;
    }

    /** The command name ({@code /proc/<pid>/comm}), or empty when the process is gone. */
    public static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The fields of /proc/<pid>/stat after the command name: [0] is the state (field 3). */
    private static String[] statFields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static long statusField(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                return Double.parseDouble(out);
            }
        } catch (IOException e) {
            // fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
