package io.lanspread.discovery.staticlist.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressTest {

    @Test
    void parsesHostNamesAndLiterals() {
        assertThat(PeerAddress.parse("127.0.0.1:42420")).isEqualTo(new PeerAddress("127.0.0.1", 42420));
        assertThat(PeerAddress.parse(" LanBox-1.local:1 ")).isEqualTo(new PeerAddress("lanbox-1.local", 1));
        assertThat(PeerAddress.parse("[::1]:65535")).isEqualTo(new PeerAddress("::1", 65535));
        assertThat(PeerAddress.parse("[fe80::1%eth0]:42420").toString()).isEqualTo("[fe80::1%eth0]:42420");
    }

    @ParameterizedTest
    @ValueSource(strings = { "host", "host:", ":42420", "host:0", "host:65536", "host:12ab", "::1:42420",
            "[::1]42420", "[::1", "ho st:1", "host:-1", "host:999999" })
    void rejectsMalformedEntries(String entry) {
        assertThatThrownBy(() -> PeerAddress.parse(entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void listAcceptsCommaSeparatedElementsSkipsBadOnesAndDuplicates() {
        assertThat(PeerList.parse(new String[] { "a:1, b:2,bad,,c:3", "a:1", " ", "d:4" }))
                .containsExactly(new PeerAddress("a", 1), new PeerAddress("b", 2), new PeerAddress("c", 3),
                        new PeerAddress("d", 4));
        assertThat(PeerList.parse(null)).isEmpty();
        assertThat(PeerList.parse(new String[0])).isEmpty();
    }
}
