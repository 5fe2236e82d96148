package io.lanspread.itests.abuse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;

/** An {@link AbuseClientMain} JVM inside a lab host, its output in a log the test reads line by line. */
final class ClientProcess {

    private final String name;
    private final Process process;
    private final Path log;

    private ClientProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts the client in {@code host} with {@code args} as {@code key=value}; {@code heap} like "192m". */
    static ClientProcess start(LabHost host, Path dir, String name, String heap, Map<String, String> args)
            throws IOException {
        List<String> argv = new ArrayList<>();
        args.forEach((k, v) -> argv.add(k + "=" + v));
        List<String> cmd = new ArrayList<>(host.lab().javaCommand(AbuseClientMain.class, argv.toArray(String[]::new)));
        cmd.replaceAll(a -> a.equals("-Xmx128m") ? "-Xmx" + heap : a);
        // C1 only: a client starts sooner and takes less of two shared cores
        cmd.add(1, "-XX:TieredStopAtLevel=1");
        Path log = dir.resolve(name + ".log");
        Files.createDirectories(dir);
        return new ClientProcess(name, host.start(cmd, dir, log), log);
    }

    /** Waits for the line starting with {@code tag} ("HONEST", "NEVER", ...) and returns its JSON. */
    JsonNode await(String tag, Duration timeout) throws IOException {
        String line = Lab.awaitLogLine(process, log, "^" + tag + " ", timeout);
        return WireFrames.JSON.readTree(line.substring(tag.length() + 1));
    }

    /** Tells the client to close its connections and end. */
    void leave() throws IOException {
        if (!process.isAlive()) {
            return; // done already (a client with nothing to hold ends by itself)
        }
        OutputStream in = process.getOutputStream();
        in.write("leave\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the process to end; returns its exit code. */
    int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still running " + seconds + " s after it was asked to leave; log:\n"
                    + logText());
        }
        return process.exitValue();
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
