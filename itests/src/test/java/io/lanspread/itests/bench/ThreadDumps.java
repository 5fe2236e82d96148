package io.lanspread.itests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lanspread.itests.bench.lan.ProcStats;

/** {@code jcmd <pid> Thread.print} of a peer's JVM into a file, for a run that went wrong. */
public final class ThreadDumps {

    private ThreadDumps() {
    }

    /**
     * The JVM of a peer the lab started: {@code ip netns exec} and the start script both exec, so it is
     * normally the process itself; otherwise its first {@code java} descendant.
     */
    public static long jvmPid(Process process) {
        return ProcStats.tree(process.pid()).stream().filter(pid -> ProcStats.comm(pid).equals("java")).findFirst()
                .orElse(process.pid());
    }

    /** Writes the thread dump of {@code process}'s JVM to {@code file}; a failure is only printed. */
    public static void keep(Process process, Path file) {
        if (!process.isAlive()) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Files.createDirectories(file.getParent());
            Process p = new ProcessBuilder(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                    String.valueOf(jvmPid(process)), "Thread.print")).redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("cannot dump the threads of " + process.pid() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
