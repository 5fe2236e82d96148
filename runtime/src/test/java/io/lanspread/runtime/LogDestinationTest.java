package io.lanspread.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class LogDestinationTest {

    private static final Path CWD = Path.of("/home/player/party");

    @Test
    void theConsoleSendsTheLogToAFileInTheStateFolder() throws Exception {
        assertThat(LogDestination.file(LaunchOptions.parse(new String[] {"--console", "--state", "st"}, CWD)))
                .contains(Path.of("/home/player/party/st/lanspread.log"));
    }

    @Test
    void withoutTheConsoleOrWithVerboseTheLogStaysOnTheTerminal() throws Exception {
        assertThat(LogDestination.file(LaunchOptions.parse(new String[0], CWD))).isEmpty();
        assertThat(LogDestination.file(LaunchOptions.parse(new String[] {"--console", "--verbose"}, CWD))).isEmpty();
    }
}
