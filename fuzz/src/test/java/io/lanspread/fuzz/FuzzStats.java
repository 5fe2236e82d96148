package io.lanspread.fuzz;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Counts a fuzz target's executions and, when its class is done, prints them and writes them to
 * {@code fuzz.statsDir/<target>.properties}, where {@link FuzzBudgetCheckTest} checks that every target
 * really fuzzed in this build. Register it as a static field with {@code @RegisterExtension} and call
 * {@link #executed()} at the start of every execution.
 */
public final class FuzzStats implements BeforeAllCallback, AfterAllCallback {

    private final String target;
    private final AtomicLong executions = new AtomicLong();
    private long startedNanos;

    public FuzzStats(String target) {
        this.target = target;
    }

    /** One more input executed. */
    public void executed() {
        executions.incrementAndGet();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startedNanos = System.nanoTime();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        long count = executions.get();
        String mode = fuzzing() ? "fuzzing" : "regression";
        System.out.printf("FUZZ %s: %d executions in %.1f s (%.0f/s, %s)%n", target, count, seconds,
                count / Math.max(seconds, 1e-9), mode);
        String dir = System.getProperty("fuzz.statsDir");
        if (dir == null) {
            return; // run from an IDE: nothing to check afterwards
        }
        Properties stats = new Properties();
        stats.setProperty("target", target);
        stats.setProperty("executions", Long.toString(count));
        stats.setProperty("seconds", String.format("%.1f", seconds));
        stats.setProperty("mode", mode);
        stats.setProperty("build", System.getProperty("fuzz.build", ""));
        Path file = Files.createDirectories(Path.of(dir)).resolve(target + ".properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            stats.store(out, "executions of one fuzz target");
        }
    }

    /** True where Jazzer fuzzes (JAZZER_FUZZ set) rather than replaying the stored inputs only. */
    static boolean fuzzing() {
        String flag = System.getenv("JAZZER_FUZZ");
        return flag != null && !flag.isEmpty();
    }
}
