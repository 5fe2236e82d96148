package io.lanspread.itests.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Finding {@code ip}, {@code tc} and friends, and running a command to completion with a timeout. */
final class Tools {

    private Tools() {
    }

    /** The absolute path of {@code name} on PATH or in the sbin folders (Maven's PATH may lack them). */
    static Optional<Path> find(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String require(String name) {
        return find(name).map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(name + " not found on PATH or in the sbin folders"));
    }

    /** True when this JVM runs with uid 0 (read from /proc, no process needed). */
    static boolean isRoot() {
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

    /** Runs {@code cmd}, output (stdout + stderr) captured; kills it when {@code timeout} passes. */
    static ExecResult run(List<String> cmd, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("lab-exec", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new ExecResult(List.copyOf(cmd), done ? p.exitValue() : -1, text, !done);
        } catch (IOException e) {
            return new ExecResult(List.copyOf(cmd), -1, e.toString(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(List.copyOf(cmd), -1, "interrupted", false);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans /tmp
                }
            }
        }
    }
}
