package io.lanspread.transport.quic.internal;

import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;

/** Transport parameters shared by server and client: windows large enough for LAN throughput. */
final class QuicSettings {

    static final long MAX_DATA = 64L * 1024 * 1024;
    static final long MAX_STREAM_DATA = 16L * 1024 * 1024;
    /**
     * Requests in flight per connection (the server's default; the client opens no more than its peer allows);
     * with 1 MiB chunks this bounds a connection's chunk memory to 64 MiB.
     */
    static final long MAX_STREAMS = 64;
    static final long IDLE_TIMEOUT_SECONDS = 30;
    /**
     * UDP socket buffers. The kernel default (~208 KiB) overflows while the event loop is busy, and every
     * dropped datagram makes QUIC's congestion control back off; the kernel caps this at net.core.rmem_max.
     */
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /**
     * The largest UDP payload sent: 1452 fits an IPv6 packet into an Ethernet MTU of 1500 (IPv4 would allow
     * 1472); quiche's default of 1350 costs 7 % more packets, and each packet costs crypto, a JNI call and
     * kernel work on both sides.
     */
    static final long DEFAULT_UDP_PAYLOAD = 1452;
    /** The largest UDP payload accepted (and the receive buffer per datagram): an IPv4 Ethernet frame's. */
    static final long MAX_RECV_UDP_PAYLOAD = 1472;

    private QuicSettings() {
    }

    /** The algorithm a configured name stands for; CUBIC (quiche's default) for a name it does not know. */
    static QuicCongestionControlAlgorithm congestionControl(String name) {
        for (QuicCongestionControlAlgorithm algorithm : QuicCongestionControlAlgorithm.values()) {
            if (algorithm.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return algorithm;
            }
        }
        return QuicCongestionControlAlgorithm.CUBIC;
    }

    /** Socket buffer sizes for the UDP channel that carries QUIC. */
    static Bootstrap socketOptions(Bootstrap bootstrap) {
        return bootstrap.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES);
    }

    static <B extends QuicCodecBuilder<B>> B apply(B builder, long udpPayload) {
        return apply(builder, MAX_STREAMS, udpPayload);
    }

    /**
     * @param maxStreams bidirectional streams the other side may have open at once
     * @param udpPayload the largest UDP payload to send (raised up to {@link #MAX_RECV_UDP_PAYLOAD} bytes is
     *        accepted whatever this is; larger only where every host's links allow it)
     */
    static <B extends QuicCodecBuilder<B>> B apply(B builder, long maxStreams, long udpPayload) {
        long send = Math.max(1200, udpPayload);
        return builder.maxIdleTimeout(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .maxSendUdpPayloadSize(send)
                .maxRecvUdpPayloadSize(Math.max(send, MAX_RECV_UDP_PAYLOAD))
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(maxStreams)
                .initialMaxStreamsUnidirectional(0);
    }
}
