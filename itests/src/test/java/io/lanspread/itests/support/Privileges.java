package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need root (mounting a file system, network namespaces): skipped where they cannot run, as
 * {@code Lab.assumeSupported()} does, except under {@code CI=true}, where a test that cannot run fails:
 * CI runs as root, so a skip there would hide a broken setup.
 */
public final class Privileges {

    private Privileges() {
    }

    /** True when this JVM runs with uid 0 (read from /proc, no process needed). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Continues when {@code available}; otherwise skips the calling test saying {@code why}, or fails it
     * when {@code CI=true}.
     */
    public static void require(boolean available, String why) {
        if (available) {
            return;
        }
        if (inCi()) {
            Assertions.fail(why + " (CI=true: a test that cannot run here fails instead of being skipped)");
        }
        Assumptions.assumeTrue(false, why);
    }

    /** {@link #require} root. */
    public static void requireRoot(String forWhat) {
        require(isRoot(), forWhat + " needs root");
    }
}
