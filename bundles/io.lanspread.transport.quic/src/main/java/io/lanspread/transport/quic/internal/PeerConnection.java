package io.lanspread.transport.quic.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.QuicChannel;

/**
 * One QUIC connection to a peer, on a UDP socket of its own.
 *
 * @param certificatePeerId the peer id derived from the certificate the peer presented in the handshake
 * @param streams opens this connection's request streams within the peer's stream credit
 */
record PeerConnection(InetSocketAddress address, Channel datagram, QuicChannel quic, String certificatePeerId,
        StreamCredit streams) {

    boolean isActive() {
        return quic.isActive();
    }

    /** The lanspread protocol version the handshake negotiated (1 or 2). */
    int protocolVersion() {
        return NegotiatedProtocol.version(quic);
    }

    /**
     * Closes the connection with an application close (code 0), so that the peer learns of it at once, then
     * the UDP socket once the close was sent.
     *
     * @return completes when the socket is closed
     */
    ChannelFuture close() {
        try {
            quic.close(true, 0, Unpooled.EMPTY_BUFFER).addListener(f -> datagram.close());
        } catch (RejectedExecutionException e) { // the event loops are gone already
            datagram.close();
        }
        return datagram.closeFuture();
    }
}
