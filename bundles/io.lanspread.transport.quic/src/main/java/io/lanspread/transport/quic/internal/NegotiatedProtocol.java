package io.lanspread.transport.quic.internal;

import javax.net.ssl.SSLEngine;

import io.lanspread.protocol.Protocol;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;

/**
 * The lanspread protocol version of a connection: the ALPN protocol its handshake negotiated, read once from
 * the TLS engine (whose getter is synchronized) and kept on the connection.
 */
final class NegotiatedProtocol {

    private static final AttributeKey<Integer> VERSION = AttributeKey.valueOf(NegotiatedProtocol.class, "version");

    private NegotiatedProtocol() {
    }

    /** 1 or 2 after the handshake; 0 when no lanspread protocol was negotiated (or the handshake is not done). */
    static int version(QuicChannel connection) {
        Integer cached = connection.attr(VERSION).get();
        if (cached != null) {
            return cached;
        }
        SSLEngine engine = connection.sslEngine();
        int version = engine == null ? 0 : Protocol.versionOf(engine.getApplicationProtocol());
        if (version != 0) {
            connection.attr(VERSION).set(version);
        }
        return version;
    }

    /**
     * The version a server serves a connection's streams in. QUIC only completes handshakes with a common
     * ALPN protocol, so this is 1 or 2; should a TLS stack ever report none, the connection is served as
     * version 1, the behaviour every lanspread peer understands.
     */
    static int served(QuicChannel connection) {
        return Math.max(Protocol.VERSION_1, version(connection));
    }
}
