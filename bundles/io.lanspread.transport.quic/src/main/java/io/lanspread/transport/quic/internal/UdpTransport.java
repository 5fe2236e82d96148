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
 *
 * <p>A socket that receives bulk data (a download's connection) can also take coalesced receives (UDP GRO): the
 * kernel hands over a run of one sender's datagrams as one buffer, so a GSO send from the other side is never
 * split into single datagrams on the way in, which cost both sides' kernels most of their time (the split runs
 * in the sender's softirq on a veth or loopback path). Netty then cuts the run into datagrams for QUIC. Netty
 * 4.2.18's {@code recvmmsg} loses GRO's segment size, so such a socket reads one run per {@code recvmsg} into
 * a buffer as large as a run can be; a server socket, which mostly receives acknowledgements and requests of
 * one datagram each, keeps the batched {@code recvmmsg}.
 */
final class UdpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    /** Datagrams per GSO send (the kernel allows 64); 16 fill a 64 KiB super-packet at 1452 bytes each. */
    static final int GSO_SEGMENTS = 16;
    /** Datagrams per recvmmsg call. */
    static final int RECV_BATCH = 16;
    /** The receive buffer of a coalescing socket: the largest run the kernel hands over (an IP packet's size). */
    static final int COALESCED_RECV_BYTES = 65536;

    private final boolean epoll;
    private final boolean gso;
    private final boolean coalescedReceives;
    private final long udpPayload;

    private UdpTransport(boolean epoll, boolean gso, boolean coalescedReceives, long udpPayload) {
        this.epoll = epoll;
        this.gso = gso;
        this.coalescedReceives = coalescedReceives;
        this.udpPayload = udpPayload;
    }

    /**
     * For a server's socket: batched receives, no coalescing.
     *
     * @param preferNative whether to use epoll when it is available
     * @param udpPayload the largest UDP payload to send
     */
    static UdpTransport choose(boolean preferNative, long udpPayload) {
        return choose(preferNative, false, udpPayload);
    }

    /**
     * @param preferNative whether to use epoll when it is available
     * @param coalesce whether sockets take coalesced receives (UDP GRO) when epoll is used
     * @param udpPayload the largest UDP payload to send
     */
    static UdpTransport choose(boolean preferNative, boolean coalesce, long udpPayload) {
        if (!preferNative) {
            return new UdpTransport(false, false, false, udpPayload);
        }
        if (!Epoll.isAvailable()) {
            LOG.info("native UDP transport unavailable ({}); using NIO", String.valueOf(Epoll.unavailabilityCause()));
            return new UdpTransport(false, false, false, udpPayload);
        }
        return new UdpTransport(true, EpollDatagramChannel.isSegmentedDatagramPacketSupported(), coalesce,
                udpPayload);
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

    boolean coalescesReceives() {
        return coalescedReceives;
    }

    EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, io);
    }

    Class<? extends DatagramChannel> channelClass() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** Socket buffers, and coalesced or batched receives on epoll. */
    Bootstrap configure(Bootstrap bootstrap) {
        QuicSettings.socketOptions(bootstrap).channel(channelClass());
        if (coalescedReceives) {
            bootstrap.option(EpollChannelOption.UDP_GRO, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(COALESCED_RECV_BYTES));
        } else if (epoll) {
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
        if (!epoll) {
            return "NIO";
        }
        return "epoll" + (gso ? " with UDP GSO" : "") + (coalescedReceives ? (gso ? " and GRO" : " with UDP GRO") : "");
    }
}
