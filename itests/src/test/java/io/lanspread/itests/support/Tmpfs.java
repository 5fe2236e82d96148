package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on an empty folder (root only), for tests that need a disk that fills up.
 * {@link #close()} unmounts it (lazily when something still holds it); a shutdown hook does the same if
 * the JVM ends first, and mounts left by a JVM that died anyway are swept at the next mount. The mount's
 * source name, {@code lanspread-itest-<pid>}, tells them apart.
 */
public final class Tmpfs implements AutoCloseable {

    private static final String SOURCE_PREFIX = "lanspread-itest-";

    private final Path mountPoint;
    private final Thread hook;
    private boolean mounted;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.hook = new Thread(this::closeQuietly, "tmpfs-unmount-" + mountPoint.getFileName());
    }

    /** Mounts a tmpfs of {@code mib} MiB on {@code mountPoint} (created when missing; must be empty). */
    public static Tmpfs mount(Path mountPoint, int mib) throws IOException {
        sweepStale();
        Files.createDirectories(mountPoint);
        Tmpfs fs = new Tmpfs(mountPoint.toAbsolutePath());
        String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + mib + "m,mode=0755",
                SOURCE_PREFIX + ProcessHandle.current().pid(), fs.mountPoint.toString()));
        if (out != null) {
            throw new IOException("cannot mount a tmpfs on " + mountPoint + ": " + out);
        }
        fs.mounted = true;
        Runtime.getRuntime().addShutdownHook(fs.hook);
        return fs;
    }

    /** Why a tmpfs cannot be mounted here, or null when it can (root and a working mount command). */
    public static String unsupportedReason(Path scratch) {
        if (!Privileges.isRoot()) {
            return "mounting a tmpfs needs root";
        }
        try {
            Path probe = Files.createTempDirectory(scratch, "tmpfs-probe");
            try {
                mount(probe, 1).close();
                return null;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Unmounts (lazily) the tmpfs mounts of test JVMs that are gone. */
    public static void sweepStale() {
        List<String> stale = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/mounts"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[0].startsWith(SOURCE_PREFIX) && "tmpfs".equals(f[2])) {
                    try {
                        long pid = Long.parseLong(f[0].substring(SOURCE_PREFIX.length()));
                        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                            stale.add(f[1].replace("\\040", " "));
                        }
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            }
            for (String mountPoint : stale) {
                run(List.of("umount", "-l", mountPoint));
            }
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    public Path path() {
        return mountPoint;
    }

    /** Free bytes on the tmpfs. */
    public long usableSpace() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    @Override
    public synchronized void close() throws IOException {
        if (!mounted) {
            return;
        }
        String out = run(List.of("umount", mountPoint.toString()));
        if (out != null) {
            String lazy = run(List.of("umount", "-l", mountPoint.toString()));
            if (lazy != null) {
                throw new IOException("cannot unmount " + mountPoint + ": " + out + "; lazily: " + lazy);
            }
        }
        mounted = false;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            System.err.println(e.getMessage());
        }
    }

    /** Runs a command; null when it exited 0, else its output and exit code. */
    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " did not end within 30 s";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : String.join(" ", cmd) + " -> exit " + p.exitValue() + ": " + output;
    }
}
