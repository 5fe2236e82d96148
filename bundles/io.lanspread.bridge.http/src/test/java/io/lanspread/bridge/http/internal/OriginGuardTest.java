package io.lanspread.bridge.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OriginGuardTest {

    @Test
    void toolsWithoutOriginAndTheApiOwnPageAreAllowed() {
        assertThat(OriginGuard.refusal("127.0.0.1:42421", null)).isNull();
        assertThat(OriginGuard.refusal("localhost:42421", null)).isNull();
        assertThat(OriginGuard.refusal("[::1]:42421", null)).isNull();
        assertThat(OriginGuard.refusal("192.0.2.10:42421", null)).isNull();
        assertThat(OriginGuard.refusal("127.0.0.1:42421", "http://127.0.0.1:42421")).isNull();
        assertThat(OriginGuard.refusal(null, null)).isNull();
    }

    @Test
    void anotherSiteIsRefused() {
        assertThat(OriginGuard.refusal("127.0.0.1:42421", "https://evil.example")).contains("not allowed");
        assertThat(OriginGuard.refusal("127.0.0.1:42421", "http://127.0.0.1:8080")).contains("not allowed");
        assertThat(OriginGuard.refusal("127.0.0.1:42421", "null")).contains("opaque");
    }

    @Test
    void aRebindingDnsNameIsRefusedEvenFromItsOwnOrigin() {
        assertThat(OriginGuard.refusal("evil.example:42421", "http://evil.example:42421")).contains("Host");
        assertThat(OriginGuard.refusal("evil.example:42421", null)).contains("Host");
    }
}
