package io.lanspread.transport.quic.internal;

import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.quic.QuicCodecBuilder;

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

    private QuicSettings() {
    }

    /** Socket buffer sizes for the UDP channel that carries QUIC. */
    static Bootstrap socketOptions(Bootstrap bootstrap) {
        return bootstrap.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES);
    }

    static <B extends QuicCodecBuilder<B>> B apply(B builder) {
        return apply(builder, MAX_STREAMS);
    }

    /** @param maxStreams bidirectional streams the other side may have open at once */
    static <B extends QuicCodecBuilder<B>> B apply(B builder, long maxStreams) {
        return builder.maxIdleTimeout(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(maxStreams)
                .initialMaxStreamsUnidirectional(0);
    }
}
