package io.lanspread.itests.bench.lan;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's report in Markdown: per scenario one row per tool with medians (min-max) of the counted
 * rounds, the ratio to its anchors, CPU seconds per GiB, peak RSS and heap; then every round raw.
 */
public final class LanReport {

    private LanReport() {
    }

    public static String markdown(LanBench.Options o, LanBench.Results results, String command) {
        StringBuilder r = new StringBuilder();
        r.append("# LAN throughput: lanspread against nginx -> curl, Syncthing and aria2c (`LanThroughputBenchmark`)\n\n");
        r.append("- date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" UTC; run time ").append(String.format("%.1f min", results.millis() / 60000.0)).append('\n');
        MachineInfo.describe().forEach(l -> r.append("- ").append(l).append('\n'));
        r.append("- command: `").append(command).append("`\n");
        r.append("- lab: network namespaces behind a Linux bridge, veth links with MTU 1500; receiver h1, sources h2..h")
                .append(1 + o.sources()).append("\n");
        r.append("- lanspread peers: default settings, `LANSPREAD_JAVA_OPTS=\"").append(o.javaOpts()).append("\"`\n");
        r.append("- ").append(o.rounds()).append(" counted rounds per tool, interleaved (round r starts with the r-th tool)")
                .append(o.warmUp() ? ", after one uncounted warm-up per tool" : ", no warm-up").append("; figures are medians")
                .append(" (min-max) of the counted rounds; CPU from /proc/<pid>/stat (utime+stime), peak RSS = VmHWM")
                .append(" (reset at the start of each timing), heap = `jcmd GC.heap_info` used at the end of the round;"
                + " several senders: CPU summed, peak RSS the largest one's\n");
        r.append("- load average (1, 5, 15 min) before: ").append(results.loadBefore()).append("; after: ")
                .append(results.loadAfter()).append('\n');
        for (LanBench.Scenario s : results.scenarios()) {
            r.append("\n## ").append(s.title()).append("\n\n");
            List<Sample> all = results.samples().stream()
                    .filter(x -> x.scenario().equals(s.title()) && !s.references().contains(x.tool())).toList();
            long bad = all.stream().filter(x -> !x.ok()).count();
            r.append(all.size() - bad).append(" file transfers (warm-ups included) byte-identical (size and SHA-256)")
                    .append(bad == 0 ? "" : "; " + bad + " failed (see below)").append(".\n\n");
            r.append("| tool | MiB/s median (min-max) | ratio | CPU-s/GiB receiver | sender | total | peak RSS MiB receiver"
                    + " | sender | heap MiB |\n");
            r.append("|---|---|---|---|---|---|---|---|---|\n");
            for (String tool : s.tools()) {
                List<Sample> counted = counted(results, s.title(), tool);
                if (counted.isEmpty()) {
                    r.append("| ").append(tool).append(" | failed | | | | | | | |\n");
                    continue;
                }
                r.append("| ").append(tool)
                        .append(" | ").append(spread(counted, Sample::mibPerSecond, "%.1f"))
                        .append(" | ").append(ratios(results, s, tool))
                        .append(" | ").append(fmt(median(counted, Sample::receiverCpuPerGib), "%.2f"))
                        .append(" | ").append(fmt(median(counted, Sample::senderCpuPerGib), "%.2f"))
                        .append(" | ").append(fmt(median(counted, Sample::totalCpuPerGib), "%.2f"))
                        .append(" | ").append(fmt(median(counted, x -> x.receiverHwmKib() / 1024.0), "%.0f"))
                        .append(" | ").append(fmt(median(counted, x -> x.senderHwmKib() / 1024.0), "%.0f"))
                        .append(" | ").append(heap(counted)).append(" |\n");
                int failed = (int) results.samples().stream()
                        .filter(x -> x.scenario().equals(s.title()) && x.tool().equals(tool) && x.round() > 0 && !x.ok())
                        .count();
                if (failed > 0) {
                    r.append("| ").append(tool).append(": ").append(failed).append(" round(s) failed, see below | | | | | | | | |\n");
                }
            }
        }
        r.append("\n## Every round\n\n");
        r.append("Round 0 is the warm-up. Seconds from both sides knowing the file to the file complete on the"
                + " receiver's disk; CPU seconds over those seconds.\n\n");
        r.append("| scenario | tool | round | MiB/s | s | CPU s receiver | CPU s sender | peak RSS MiB receiver | sender"
                + " | heap MiB | notes |\n");
        r.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Sample x : results.samples()) {
            r.append("| ").append(x.scenario()).append(" | ").append(x.tool()).append(" | ").append(x.round()).append(" | ");
            if (x.ok()) {
                r.append(String.format("%.1f | %.2f | %.2f | %.2f | %.0f | %.0f | %s | %s |", x.mibPerSecond(), x.seconds(),
                        x.receiverCpu(), x.senderCpu(), x.receiverHwmKib() / 1024.0, x.senderHwmKib() / 1024.0,
                        x.heapKib() < 0 ? "—" : String.format("%.0f", x.heapKib() / 1024.0), x.note().replace("|", "/")));
            } else {
                r.append("failed | | | | | | | ").append(x.error().replace("|", "/").replace("\n", " ")).append(" |");
            }
            r.append('\n');
        }
        List<Sample> failures = results.failures();
        if (!failures.isEmpty()) {
            r.append("\n## Failures\n\n");
            failures.forEach(f -> r.append("- ").append(f.scenario()).append(", ").append(f.tool()).append(", round ")
                    .append(f.round()).append(": ").append(f.error().replace("\n", " ")).append('\n'));
        }
        return r.toString();
    }

    /** One sample on one line, for the progress output. */
    public static String line(Sample s) {
        if (!s.ok()) {
            return "FAILED: " + s.error();
        }
        return String.format("%.1f MiB/s (%.2f s), CPU s receiver %.2f sender %.2f, peak RSS MiB receiver %.0f sender %.0f%s%s",
                s.mibPerSecond(), s.seconds(), s.receiverCpu(), s.senderCpu(), s.receiverHwmKib() / 1024.0,
                s.senderHwmKib() / 1024.0, s.heapKib() < 0 ? "" : String.format(", heap MiB %.0f", s.heapKib() / 1024.0),
                s.note().isEmpty() ? "" : " (" + s.note() + ")");
    }

    /** The counted (round >= 1), successful samples of one tool in one scenario. */
    public static List<Sample> counted(LanBench.Results results, String scenario, String tool) {
        return results.samples().stream()
                .filter(x -> x.scenario().equals(scenario) && x.tool().equals(tool) && x.round() > 0 && x.ok()).toList();
    }

    /** The median MiB/s of one tool (NaN when none counted). */
    public static double medianMibs(LanBench.Results results, String scenario, String tool) {
        return median(counted(results, scenario, tool), Sample::mibPerSecond);
    }

    private static String ratios(LanBench.Results results, LanBench.Scenario s, String tool) {
        List<LanBench.Anchor> anchors = s.anchors().get(tool);
        if (s.references().contains(tool)) {
            return "reference";
        }
        if (anchors == null || anchors.isEmpty()) {
            boolean isAnchor = s.anchors().values().stream().flatMap(List::stream).anyMatch(a -> tool.equals(a.tool()));
            return isAnchor ? "anchor" : "—";
        }
        double mine = medianMibs(results, s.title(), tool);
        List<String> parts = new ArrayList<>();
        for (LanBench.Anchor a : anchors) {
            double ref = a.tool() == null ? a.fixedMibs() : a.factor() * medianMibs(results, s.title(), a.tool());
            parts.add(Double.isNaN(ref) ? "— of " + a.label() : String.format("x%.2f of %s", mine / ref, a.label()));
        }
        return String.join(", ", parts);
    }

    private static String heap(List<Sample> counted) {
        List<Sample> with = counted.stream().filter(x -> x.heapKib() >= 0).toList();
        return with.isEmpty() ? "—" : fmt(median(with, x -> x.heapKib() / 1024.0), "%.0f");
    }

    private static String spread(List<Sample> samples, ToDoubleFunction<Sample> f, String format) {
        List<Double> v = samples.stream().map(f::applyAsDouble).sorted().toList();
        return String.format(format + " (" + format + "-" + format + ")", median(samples, f), v.get(0), v.get(v.size() - 1));
    }

    /** The median (of an even count, the mean of the middle two); NaN of none. */
    public static double median(List<Sample> samples, ToDoubleFunction<Sample> f) {
        List<Double> v = new ArrayList<>(samples.stream().map(f::applyAsDouble).toList());
        if (v.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "—" : String.format(format, v);
    }
}
