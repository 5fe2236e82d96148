package io.lanspread.transport.quic.internal;

import java.net.InetSocketAddress;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;

/**
 * One QUIC connection to a peer, on a UDP socket of its own.
 *
 * @param certificatePeerId the peer id derived from the certificate the peer presented in the handshake
 */
record PeerConnection(InetSocketAddress address, Channel datagram, QuicChannel quic, String certificatePeerId) {

    boolean isActive() {
        return quic.isActive();
    }

    void close() {
        quic.close();
        datagram.close();
    }
}
