package io.lanspread.transport.quic.internal;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.handler.codec.quic.QuicChannel;

/** The peer id the other end of a connection proved with the certificate it presented in the handshake. */
final class CallerIdentity {

    private CallerIdentity() {
    }

    /** Empty when the other end presented no certificate (a client may connect without one). */
    static Optional<String> of(QuicChannel connection) {
        return certificate(connection).map(PeerIds::peerId);
    }

    /** The X.509 certificate the other end presented; empty when it presented none. */
    static Optional<X509Certificate> certificate(QuicChannel connection) {
        SSLEngine engine = connection.sslEngine();
        if (engine == null) {
            return Optional.empty();
        }
        try {
            return leaf(engine.getSession().getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The peer id of the chain's leaf certificate; empty for no chain or a leaf that is not X.509. */
    static Optional<String> of(Certificate[] chain) {
        return leaf(chain).map(PeerIds::peerId);
    }

    private static Optional<X509Certificate> leaf(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return Optional.of(leaf);
    }
}
