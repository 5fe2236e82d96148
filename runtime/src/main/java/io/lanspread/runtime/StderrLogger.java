package io.lanspread.runtime;

import org.apache.felix.framework.Logger;

/** Sends the framework's own log to stderr: stdout carries only the ready line. */
final class StderrLogger extends Logger {

    @Override
    protected void doLogOut(int level, String msg, Throwable throwable) {
        String prefix = switch (level) {
            case LOG_ERROR -> "ERROR";
            case LOG_WARNING -> "WARN";
            case LOG_INFO -> "INFO";
            default -> "DEBUG";
        };
        System.err.println("[felix] " + prefix + " " + msg);
        if (throwable != null) {
            throwable.printStackTrace(System.err);
        }
    }
}
