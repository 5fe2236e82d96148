package io.lanspread.transport.quic.internal;

import java.util.List;

import io.lanspread.protocol.Protocol;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * Mutual TLS between peers: both sides present their identity certificate and accept any certificate (peers
 * are self-signed, there is no CA on a LAN); identity comes from the peer id derived from the certificate.
 * Both offer ALPN {@code lanspread/2} and {@code lanspread/1}, so a protocol 1 peer still connects; the
 * negotiated one is the connection's version ({@link NegotiatedProtocol}).
 */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * The server asks every client for its certificate. A client without one may still read (ping, listGames,
     * ...); its notices are refused, as they could not be attributed to a proven peer id.
     */
    static QuicSslContext server(TlsIdentity identity) {
        return QuicSslContextBuilder.forServer(identity.privateKey(), null, identity.certificate())
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .clientAuth(ClientAuth.OPTIONAL)
                .applicationProtocols(Protocol.APPLICATION_PROTOCOLS.toArray(String[]::new))
                .build();
    }

    /** The client presents this peer's certificate and checks the server's against the peer id it claims. */
    static QuicSslContext client(TlsIdentity identity) {
        return client(identity, Protocol.APPLICATION_PROTOCOLS);
    }

    /** A client offering only {@code protocols}, preferred first (tests play a protocol 1 peer with it). */
    static QuicSslContext client(TlsIdentity identity, List<String> protocols) {
        return QuicSslContextBuilder.forClient()
                .keyManager(identity.privateKey(), null, identity.certificate())
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .applicationProtocols(protocols.toArray(String[]::new))
                .build();
    }
}
