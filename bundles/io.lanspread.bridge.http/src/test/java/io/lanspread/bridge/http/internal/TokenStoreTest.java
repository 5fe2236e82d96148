package io.lanspread.bridge.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token is made once, kept across starts, readable by its owner only, and checked exactly. */
class TokenStoreTest {

    @TempDir
    Path dir;

    @Test
    void aMissingTokenIsMadeAndKeptAcrossStarts() throws Exception {
        Path file = dir.resolve("state/http-token");

        TokenStore first = TokenStore.open(file);
        String token = Files.readString(file).trim();
        TokenStore second = TokenStore.open(file);

        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.isToken(token)).isTrue();
        assertThat(second.isToken(token)).isTrue();
        assertThat(second.session()).isEqualTo(first.session());
    }

    @Test
    void onlyTheTokenAndItsSessionPass() throws Exception {
        TokenStore store = TokenStore.open(dir.resolve("http-token"));
        String token = Files.readString(dir.resolve("http-token")).trim();

        assertThat(store.isToken(token + "x")).isFalse();
        assertThat(store.isToken("")).isFalse();
        assertThat(store.isToken(null)).isFalse();
        assertThat(store.isToken(store.session())).as("the cookie value is not the token").isFalse();
        assertThat(store.isSession(store.session())).isTrue();
        assertThat(store.isSession(token)).as("the token is not a session").isFalse();
    }

    @Test
    void anotherPeersTokenIsAnotherSession() throws Exception {
        TokenStore a = TokenStore.open(dir.resolve("a/http-token"));
        TokenStore b = TokenStore.open(dir.resolve("b/http-token"));

        assertThat(a.session()).isNotEqualTo(b.session());
        assertThat(a.isSession(b.session())).isFalse();
    }
}
