package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's decision: a notice is attributed only to the peer id of a presented X.509 certificate. */
class CallerIdentityTest {

    @TempDir
    Path tmp;

    @Test
    void peerIdComesFromTheLeafCertificate() throws Exception {
        IdentityComponent caller = identity("a");
        IdentityComponent other = identity("b");
        assertThat(CallerIdentity.of(new Certificate[] {caller.certificate(), other.certificate()}))
                .contains(caller.peerId());
    }

    @Test
    void noCertificateMeansNoCaller() {
        assertThat(CallerIdentity.of((Certificate[]) null)).isEmpty();
        assertThat(CallerIdentity.of(new Certificate[0])).isEmpty();
        assertThat(CallerIdentity.of(new Certificate[] {new NotX509()})).isEmpty();
    }

    private IdentityComponent identity(String dir) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", tmp.resolve(dir).toString(), "name", dir)));
    }

    private static final class NotX509 extends Certificate {
        private static final long serialVersionUID = 1L;

        NotX509() {
            super("other");
        }

        @Override
        public byte[] getEncoded() {
            return new byte[0];
        }

        @Override
        public void verify(PublicKey key) {
        }

        @Override
        public void verify(PublicKey key, String sigProvider) {
        }

        @Override
        public String toString() {
            return "not X.509";
        }

        @Override
        public PublicKey getPublicKey() {
            return null;
        }
    }
}
