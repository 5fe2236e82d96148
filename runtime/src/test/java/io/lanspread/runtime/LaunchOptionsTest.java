package io.lanspread.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Path CWD = Path.of("/home/player/party");

    @Test
    void defaultsAreRelativeToTheWorkingDirectoryAndTheDocumentedPorts() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[0], CWD);

        assertThat(o.gamesDir()).isEqualTo(Path.of("/home/player/party/games"));
        assertThat(o.stateDir()).isEqualTo(Path.of("/home/player/party/.lanspread"));
        assertThat(o.quicPort()).isEqualTo(42420);
        assertThat(o.httpPort()).isEqualTo(42421);
        assertThat(o.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(o.name()).isNull();
        assertThat(o.peers()).isEmpty();
        assertThat(o.console()).isFalse();
        assertThat(o.mdns()).isTrue();
        assertThat(o.help()).isFalse();
        assertThat(o.verbose()).isFalse();
        assertThat(o.version()).isFalse();
    }

    @Test
    void versionAndVerboseAreRecognisedAndTakeNoValue() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {"--version", "--verbose", "--console"}, CWD);
        assertThat(o.version()).isTrue();
        assertThat(o.verbose()).isTrue();
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--verbose=yes"}, CWD))
                .isInstanceOf(UsageException.class).hasMessageContaining("takes no value");
    }

    @Test
    void readsEveryFlagInBothSpellings() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {
            "--games", "lib", "--state=/var/lib/ls", "--name", "alice box", "--port", "0",
            "--http-port=8080", "--bind", "10.0.0.5", "--peer", "10.0.0.7:42420", "--peer=[::1]:5000", "--console", "--no-mdns"
        }, CWD);

        assertThat(o.gamesDir()).isEqualTo(Path.of("/home/player/party/lib"));
        assertThat(o.stateDir()).isEqualTo(Path.of("/var/lib/ls"));
        assertThat(o.name()).isEqualTo("alice box");
        assertThat(o.quicPort()).isZero();
        assertThat(o.httpPort()).isEqualTo(8080);
        assertThat(o.bindAddress()).isEqualTo("10.0.0.5");
        assertThat(o.peers()).containsExactly("10.0.0.7:42420", "[::1]:5000");
        assertThat(o.console()).isTrue();
        assertThat(o.mdns()).isFalse();
    }

    @Test
    void relativePathsAreNormalised() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {"--games", "../other/./games"}, CWD);

        assertThat(o.gamesDir()).isEqualTo(Path.of("/home/player/other/games"));
    }

    @Test
    void helpIsRecognised() throws Exception {
        assertThat(LaunchOptions.parse(new String[] {"--help"}, CWD).help()).isTrue();
        assertThat(LaunchOptions.parse(new String[] {"-h"}, CWD).help()).isTrue();
    }

    @Test
    void rejectsBadCommandLines() {
        assertRejected("unknown argument: --frobnicate", "--frobnicate");
        assertRejected("unknown argument: games", "games");
        assertRejected("--games needs a value", "--games");
        assertRejected("--port must be a port number", "--port", "65536");
        assertRejected("--port must be a port number", "--port", "-1");
        assertRejected("--http-port must be a port number", "--http-port", "http");
        assertRejected("--peer must be HOST:PORT", "--peer", "10.0.0.7");
        assertRejected("--peer must be HOST:PORT", "--peer", "10.0.0.7:0");
        assertRejected("--peer must be HOST:PORT", "--peer", "::1:5000");
        assertRejected("--peer must be HOST:PORT", "--peer", ":5000");
        assertRejected("--bind needs a non-empty value", "--bind=");
        assertRejected("--help takes no value", "--help=yes");
        assertRejected("--party-key needs a value", "--party-key");
        assertRejected("--party-key needs a non-empty value", "--party-key", " ");
    }

    @Test
    void aPartyKeyIsReadButNeverShown() throws Exception {
        assertThat(LaunchOptions.parse(new String[0], CWD).partyKey()).isNull();
        LaunchOptions spaced = LaunchOptions.parse(new String[] {"--party-key", "open sesame"}, CWD);
        LaunchOptions inline = LaunchOptions.parse(new String[] {"--party-key=open sesame"}, CWD);
        assertThat(spaced.partyKey()).isEqualTo("open sesame");
        assertThat(inline.partyKey()).isEqualTo("open sesame");
        assertThat(spaced.toString()).doesNotContain("sesame").contains("partyKey=(hidden)");
    }

    private static void assertRejected(String message, String... args) {
        assertThatThrownBy(() -> LaunchOptions.parse(args, CWD))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(message);
    }
}
