package io.lanspread.itests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.lanspread.itests.bench.lan.Binaries;
import io.lanspread.itests.bench.lan.LanBench;
import io.lanspread.itests.bench.lan.LanReport;
import io.lanspread.itests.bench.lan.Sample;
import io.lanspread.itests.lab.Lab;

/**
 * lanspread's throughput in the LAN lab against the tools a user would pick instead, in the same run, on
 * the same files and hosts (see {@link LanBench}): one unshaped source (nginx -> curl, Syncthing,
 * lanspread; iperf3 TCP memory to memory as a reference of the link) and several sources behind tc-tbf-shaped links (curl over one link, aria2c from every nginx,
 * lanspread from every peer), with CPU seconds per GiB, peak RSS and heap; optionally ({@code
 * -Dbench.checked=true}) a 4 GiB game from one and from every source. Not part of the normal build (the
 * name does not end in IT); run it with {@code bench/lan-throughput}. The report is printed and written to
 * {@code target/benchmarks/lan-throughput.md}.
 *
 * <p>Options: {@code -Dbench.mib} (512, one source), {@code -Dbench.shaped.mib} (256), {@code
 * -Dbench.sources} (3), {@code -Dbench.shaped.mbit} (200; 0 leaves the links unshaped), {@code
 * -Dbench.rounds} (5), {@code -Dbench.warmup} (true), {@code -Dbench.javaopts} ("-Xmx128m
 * -XX:MaxDirectMemorySize=64m", the peers' LANSPREAD_JAVA_OPTS), {@code -Dbench.checked} (false), {@code
 * -Dbench.checked.mib} (4096), {@code -Dbench.checked.javaopts} ("-Xmx256m").
 */
class LanThroughputBenchmark {

    static final String DEFAULT_JAVA_OPTS = "-Xmx128m -XX:MaxDirectMemorySize=64m";

    @Test
    void lanspreadAgainstCurlSyncthingAndAria2() throws Exception {
        Lab.assumeSupported();
        for (String tool : List.of("nginx", "curl", "aria2c", "syncthing", "iperf3")) {
            assertThat(Binaries.find(tool)).as(tool + " (apt-get install " + Binaries.packageOf(tool) + "; bench/lan-throughput"
                    + " installs it)").isPresent();
        }
        int rounds = Integer.getInteger("bench.rounds", 5);
        LanBench.Options o = new LanBench.Options(Integer.getInteger("bench.mib", 512),
                Integer.getInteger("bench.shaped.mib", 256), Integer.getInteger("bench.sources", 3),
                Integer.getInteger("bench.shaped.mbit", 200), rounds,
                Boolean.parseBoolean(System.getProperty("bench.warmup", "true")), true, true, true, true,
                System.getProperty("bench.javaopts", DEFAULT_JAVA_OPTS),
                Boolean.getBoolean("bench.checked") ? Integer.getInteger("bench.checked.mib", 4096) : 0,
                System.getProperty("bench.checked.javaopts", "-Xmx256m"), LanThroughputBenchmark.class);
        LanBench.Results results = new LanBench(o).run();
        String report = LanReport.markdown(o, results, command());
        System.out.println(report);
        Path out = Path.of("target", "benchmarks", "lan-throughput.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        assertThat(results.failures()).as("failed rounds (see " + out.toAbsolutePath() + ")").isEmpty();
        for (LanBench.Scenario s : results.scenarios()) {
            for (String tool : s.tools()) {
                List<Sample> counted = LanReport.counted(results, s.title(), tool);
                assertThat(counted).as(s.title() + ", " + tool).hasSize(s.title().startsWith("checked") ? 1 : rounds)
                        .allMatch(x -> x.mibPerSecond() > 0);
            }
        }
    }

    /** The command as the wrapper ran it ({@code -Dbench.command}), or as it would be typed. */
    private static String command() {
        String given = System.getProperty("bench.command");
        if (given != null && !given.isBlank()) {
            return given;
        }
        Map<String, String> props = new TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.")) {
                props.put(k.toString(), v.toString());
            }
        });
        StringBuilder c = new StringBuilder("mvn -B verify -pl itests -Dit.test=LanThroughputBenchmark");
        props.forEach((k, v) -> c.append(" -D").append(k).append('=').append(v.contains(" ") ? "\"" + v + "\"" : v));
        return c.toString();
    }
}
