package io.lanspread.bridge.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The token is needed exactly when the HTTP service can be reached from other machines. */
class AccessPolicyTest {

    @Test
    void loopbackEndpointsNeedNoToken() {
        assertThat(AccessPolicy.offLoopback(List.of("http://127.0.0.1:42421/"))).isFalse();
        assertThat(AccessPolicy.offLoopback(List.of("http://localhost:8181/", "http://[::1]:8181/"))).isFalse();
        assertThat(AccessPolicy.offLoopback(List.of())).isFalse();
    }

    @Test
    void anyOtherEndpointNeedsIt() {
        assertThat(AccessPolicy.offLoopback(List.of("http://0.0.0.0:8181/"))).isTrue();
        assertThat(AccessPolicy.offLoopback(List.of("http://127.0.0.1:8181/", "http://192.168.1.5:8181/"))).isTrue();
        assertThat(AccessPolicy.offLoopback(List.of("http://[fe80::1]:8181/"))).isTrue();
        assertThat(AccessPolicy.offLoopback(List.of("not a uri at all"))).isTrue();
    }

    @Test
    void onlyTheLoginPageAndItsFilesAreOpen() {
        assertThat(AccessPolicy.open("GET", "/login")).isTrue();
        assertThat(AccessPolicy.open("HEAD", "/assets/style.css")).isTrue();
        assertThat(AccessPolicy.open("GET", "/assets/login.js")).isTrue();
        assertThat(AccessPolicy.open("GET", "/assets/app.js")).as("the main page's script").isFalse();
        assertThat(AccessPolicy.open("GET", "/")).isFalse();
        assertThat(AccessPolicy.open("GET", "/api/status")).isFalse();
        assertThat(AccessPolicy.open("GET", "/api/events")).isFalse();
        assertThat(AccessPolicy.open("POST", "/assets/app.js")).isFalse();
    }

    @Test
    void theModeIsAutoUnlessAlwaysIsAskedFor() {
        assertThat(AccessPolicy.Mode.of("always")).isEqualTo(AccessPolicy.Mode.ALWAYS);
        assertThat(AccessPolicy.Mode.of(" ALWAYS ")).isEqualTo(AccessPolicy.Mode.ALWAYS);
        assertThat(AccessPolicy.Mode.of("auto")).isEqualTo(AccessPolicy.Mode.AUTO);
        assertThat(AccessPolicy.Mode.of(null)).isEqualTo(AccessPolicy.Mode.AUTO);
    }
}
