package io.lanspread.transport.quic.internal;

import java.util.concurrent.ThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;

/**
 * The UDP layer under QUIC. On Linux, Netty's native epoll transport: many datagrams per system call both
 * ways (UDP GSO when sending, recvmmsg when receiving), which is where most of the CPU of a transfer went
 * with NIO (one {@code sendto}/{@code recvfrom} per 1.4 KB datagram). NIO is the fallback where the native
 * library does not load (another OS or CPU, a locked-down temp folder), or when configured.
 */
final class UdpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    /** Datagrams per GSO send (the kernel allows 64); 16 fill a 64 KiB super-packet at 1452 bytes each. */
    static final int GSO_SEGMENTS = 16;
    /** Datagrams per recvmmsg call. */
    static final int RECV_BATCH = 16;

    private final boolean epoll;
    private final boolean gso;
    private final long udpPayload;

    private UdpTransport(boolean epoll, boolean gso, long udpPayload) {
        this.epoll = epoll;
        this.gso = gso;
        this.udpPayload = udpPayload;
    }

    /**
     * @param preferNative whether to use epoll when it is available
     * @param udpPayload the largest UDP payload to send
     */
    static UdpTransport choose(boolean preferNative, long udpPayload) {
        if (!preferNative) {
            return new UdpTransport(false, false, udpPayload);
        }
        if (!Epoll.isAvailable()) {
            LOG.info("native UDP transport unavailable ({}); using NIO", String.valueOf(Epoll.unavailabilityCause()));
            return new UdpTransport(false, false, udpPayload);
        }
        return new UdpTransport(true, EpollDatagramChannel.isSegmentedDatagramPacketSupported(), udpPayload);
    }

    long udpPayload() {
        return udpPayload;
    }

    boolean isNative() {
        return epoll;
    }

    boolean segmentsSends() {
        return gso;
    }

    EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, io);
    }

    Class<? extends DatagramChannel> channelClass() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** Socket buffers, and batched receives on epoll. */
    Bootstrap configure(Bootstrap bootstrap) {
        QuicSettings.socketOptions(bootstrap).channel(channelClass());
        if (epoll) {
            int payload = (int) Math.max(udpPayload, QuicSettings.MAX_RECV_UDP_PAYLOAD);
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, payload)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(payload * RECV_BATCH));
        }
        return bootstrap;
    }

    /** What a QUIC connection uses to send several datagrams at once, or {@code NONE}. */
    SegmentedDatagramPacketAllocator segmentedSends() {
        return gso ? EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS) : SegmentedDatagramPacketAllocator.NONE;
    }

    static ChannelOption<SegmentedDatagramPacketAllocator> segmentedSendsOption() {
        return QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR;
    }

    @Override
    public String toString() {
        return epoll ? (gso ? "epoll with UDP GSO" : "epoll") : "NIO";
    }
}
