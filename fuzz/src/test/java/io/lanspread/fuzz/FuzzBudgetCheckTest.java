package io.lanspread.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * Runs after the fuzz executions of {@code mvn verify} and fails the build unless each target named in
 * {@code fuzz.targets} fuzzed in this very build (not a leftover of an earlier one) and executed at least
 * {@code fuzz.minExecutions} inputs: a target that was skipped, ran in regression mode only or hardly ran
 * counts as not fuzzed.
 */
class FuzzBudgetCheckTest {

    @Test
    void everyTargetReallyFuzzedInThisBuild() throws IOException {
        Path dir = Path.of(required("fuzz.statsDir"));
        String build = required("fuzz.build");
        long minimum = Long.parseLong(required("fuzz.minExecutions"));
        List<String> problems = new ArrayList<>();
        System.out.println("FUZZ summary (at least " + minimum + " executions each):");
        for (String target : required("fuzz.targets").split(",")) {
            Path file = dir.resolve(target.strip() + ".properties");
            if (!Files.exists(file)) {
                problems.add("The fuzz target " + target + " did not run (it wrote no statistics).");
                continue;
            }
            Properties stats = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stats.load(in);
            }
            long executions = Long.parseLong(stats.getProperty("executions", "0"));
            System.out.printf("  %-16s %10d executions in %6s s (%s)%n", target, executions,
                    stats.getProperty("seconds"), stats.getProperty("mode"));
            if (!build.equals(stats.getProperty("build"))) {
                problems.add("The fuzz target " + target + " did not run in this build (its statistics are from "
                        + "build " + stats.getProperty("build") + ").");
            } else if (!"fuzzing".equals(stats.getProperty("mode"))) {
                problems.add("The fuzz target " + target + " only replayed its stored inputs: JAZZER_FUZZ was not set.");
            } else if (executions < minimum) {
                problems.add("The fuzz target " + target + " executed " + executions + " inputs, fewer than the "
                        + minimum + " that show it fuzzed.");
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        assertTrue(minimum > 0, "fuzz.minExecutions must be positive");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            fail("The system property " + property + " is not set: run this check through the fuzz module's pom.");
        }
        return value;
    }
}
