package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine and the tools: CPUs, model, RAM, kernel, the peers' java, versions. */
public final class MachineInfo {

    private MachineInfo() {
    }

    /** One line per fact, Markdown list items. */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + cpuModel() + ", "
                + memTotal() + " RAM, kernel " + read("/proc/sys/kernel/osrelease") + ", Debian " + read("/etc/debian_version"));
        lines.add("java (the peers' `java` on PATH): " + firstLines(List.of("java", "-version"), 3).replace("\n", "; "));
        List<String> tools = new ArrayList<>();
        for (List<String> cmd : List.of(List.of("nginx", "-v"), List.of("curl", "--version"), List.of("aria2c", "--version"),
                List.of("syncthing", "--version"))) {
            if (Binaries.find(cmd.get(0)).isPresent()) {
                List<String> full = new ArrayList<>(cmd);
                full.set(0, Binaries.path(cmd.get(0)));
                tools.add(firstLines(full, 1));
            }
        }
        lines.add("tools: " + String.join("; ", tools));
        return lines;
    }

    /** The 1, 5 and 15 minute load averages. */
    public static String loadAverage() {
        String[] parts = read("/proc/loadavg").split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
    }

    private static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "unknown CPU";
    }

    private static String memTotal() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("\\D+", ""));
                return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstLines(List<String> cmd, int n) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return String.join("\n", out.strip().lines().limit(n).toList());
        } catch (IOException e) {
            return cmd.get(0) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cmd.get(0) + ": interrupted";
        }
    }
}
