package io.lanspread.itests.lab;

import java.util.List;

/** What a finished (or timed-out) command left: its exit code and its stdout and stderr, interleaved. */
public record ExecResult(List<String> command, int exitCode, String output, boolean timedOut) {

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** Returns this result if the command succeeded, else throws with the command and its output. */
    public ExecResult orThrow() {
        if (!ok()) {
            throw new IllegalStateException(this.toString());
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " -> " + (timedOut ? "timed out" : "exit " + exitCode)
                + (output.isBlank() ? "" : ": " + output.strip());
    }
}
