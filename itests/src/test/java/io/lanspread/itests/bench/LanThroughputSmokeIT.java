package io.lanspread.itests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.lanspread.itests.bench.lan.Binaries;
import io.lanspread.itests.bench.lan.LanBench;
import io.lanspread.itests.bench.lan.LanReport;
import io.lanspread.itests.bench.lan.Sample;
import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.support.Privileges;

/**
 * The LAN throughput benchmark ({@link LanThroughputBenchmark}) in small, in the normal suite: an 8 MiB
 * file, one round, no warm-up; nginx -> curl and lanspread from one source, and lanspread from two sources
 * (unshaped), with the peers capped as in the benchmark. Asserts only that every tool completes
 * byte-identical (the benchmark checks size and SHA-256 of every copy) and that the report has numbers.
 * Needs root (the LAN lab), nginx and curl: skipped without them, except under CI=true, where it fails.
 */
class LanThroughputSmokeIT {

    @Test
    void everyToolCompletesByteIdenticalAndTheReportHasNumbers() throws Exception {
        Lab.assumeSupported();
        for (String tool : List.of("nginx", "curl")) {
            Privileges.require(Binaries.find(tool).isPresent(), "the LAN throughput smoke test needs " + tool
                    + " (apt-get install " + Binaries.packageOf(tool) + ")");
        }
        LanBench.Options o = new LanBench.Options(8, 8, 2, 0, 1, false, false, false, false, false,
                LanThroughputBenchmark.DEFAULT_JAVA_OPTS, 0, "", LanThroughputSmokeIT.class);
        LanBench.Results results = new LanBench(o).run();
        String report = LanReport.markdown(o, results, "mvn -B verify -pl itests -Dit.test=LanThroughputSmokeIT");
        System.out.println(report);
        Path out = Path.of("target", "benchmarks", "lan-throughput-smoke.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        assertThat(results.failures()).as("failed transfers").isEmpty();
        assertThat(results.scenarios()).hasSize(2);
        assertThat(results.scenarios().get(0).tools()).containsExactly("nginx -> curl", "lanspread");
        assertThat(results.scenarios().get(1).tools()).containsExactly("lanspread, 2 sources");
        for (LanBench.Scenario s : results.scenarios()) {
            for (String tool : s.tools()) {
                List<Sample> counted = LanReport.counted(results, s.title(), tool);
                assertThat(counted).as(s.title() + ", " + tool).hasSize(1);
                Sample x = counted.get(0);
                assertThat(x.bytes()).as(tool + " bytes").isEqualTo(8L << 20);
                assertThat(x.mibPerSecond()).as(tool + " MiB/s").isPositive().isFinite();
                assertThat(x.receiverCpu()).as(tool + " receiver CPU s").isNotNegative();
                assertThat(x.senderCpu()).as(tool + " sender CPU s").isNotNegative();
                if (tool.startsWith("lanspread")) {
                    assertThat(x.receiverCpu()).as(tool + " receiver CPU s").isPositive();
                    assertThat(x.receiverHwmKib()).as(tool + " receiver peak RSS").isPositive();
                    assertThat(x.senderHwmKib()).as(tool + " sender peak RSS").isPositive();
                    assertThat(x.heapKib()).as(tool + " receiver heap").isPositive();
                }
                assertThat(report).contains("| " + tool + " | " + String.format("%.1f", x.mibPerSecond()));
            }
        }
    }
}
