package io.lanspread.runtime;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Where the log goes. Every logger inside the framework (slf4j-simple, Felix's own, SCR's, java.util.logging)
 * writes to {@code System.err}: on the terminal by default, but with {@code --console} the shell owns the
 * terminal, so {@code System.err} is pointed at {@value #FILE_NAME} in the state folder (appended to; each
 * run starts with a header line) unless {@code --verbose} asks for the terminal. The Gogo shell writes to
 * the terminal's file descriptors directly and is not affected.
 */
final class LogDestination {

    static final String FILE_NAME = "lanspread.log";

    private LogDestination() {
    }

    /** The log file when the log goes to one ({@code --console} without {@code --verbose}). */
    static Optional<Path> file(LaunchOptions options) {
        return options.console() && !options.verbose() ? Optional.of(options.stateDir().resolve(FILE_NAME))
                : Optional.empty();
    }

    /**
     * Points {@code System.err} at the log file, if there is one; call before anything logs (a
     * java.util.logging console handler keeps the stream it first saw).
     */
    static Optional<Path> apply(LaunchOptions options, String version) throws IOException {
        if (options.verbose()) {
            // slf4j-simple reads its levels from system properties; a -D on the command line still wins
            System.setProperty("org.slf4j.simpleLogger.log.io.lanspread",
                    System.getProperty("org.slf4j.simpleLogger.log.io.lanspread", "debug"));
        }
        Optional<Path> file = file(options);
        if (file.isPresent()) {
            Files.createDirectories(file.get().getParent());
            PrintStream log = new PrintStream(new FileOutputStream(file.get().toFile(), true), true,
                    StandardCharsets.UTF_8);
            log.println("---- lanspread " + version + " started " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                    + " ----");
            System.setErr(log);
        }
        return file;
    }
}
