package io.lanspread.transport.quic.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.PartialCopies;
import io.lanspread.api.transport.PeerNoticeListener;
import io.lanspread.api.transport.PeerServer;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;

/**
 * Serves this peer's library over QUIC: one bidirectional stream per request (see docs/protocol.md), in
 * protocol 2 or 1, whichever the client's ALPN chooses. Disk reads and hashing run on a blocking executor,
 * never on the event loop. Notices from other peers go to
 * the {@link PeerNoticeListener} services, on that executor. Stopping closes every connection with an
 * application close, so that clients notice at once instead of after the idle timeout.
 * <p>
 * Hostile or broken clients are bounded: connections per remote address and in total ({@link ConnectionLimits};
 * one beyond is closed with a reason, {@link ConnectionRefusal}), requests in flight per connection (QUIC stream
 * credit), time to send a request, and file bytes held for sending per connection and in total
 * ({@link ConnectionBudget} within the {@link ReadBudget}). With a party key (from the identity) nothing is
 * served to a connection before it proved the key ({@link PartyGate}).
 */
@Component(name = "io.lanspread.transport.quic.server", service = PeerServer.class)
@Designate(ocd = QuicPeerServer.Config.class)
public final class QuicPeerServer implements PeerServer {

    @ObjectClassDefinition(name = "lanspread QUIC server")
    public @interface Config {
        @AttributeDefinition(description = "Address the UDP socket binds to")
        String bind_address() default "0.0.0.0";

        @AttributeDefinition(description = "UDP port; 0 picks a free one")
        int port() default 42420;

        @AttributeDefinition(description = "Threads reading files and hashing chunks")
        int io_threads() default 8;

        @AttributeDefinition(description = "Requests a client may have in flight on one connection (QUIC "
                + "initial_max_streams_bidi); clients wait for a free stream beyond it")
        int max_streams() default 64;

        @AttributeDefinition(description = "Seconds a client may take to send a whole request on a stream (its "
                + "frame and FIN); the stream is refused with BAD_REQUEST after that")
        int request_timeout_seconds() default 5;

        @AttributeDefinition(description = "File bytes held in memory for sending, across every stream and "
                + "connection, in MiB (at most half of the JVM's direct memory is used); a stream waits when it "
                + "is spent")
        int send_budget_mib() default 256;

        @AttributeDefinition(description = "File bytes one connection may hold in memory for sending, in MiB, "
                + "taken from send.budget.mib, so that clients which never read cannot spend the whole budget: "
                + "keep max.connections times this below send.budget.mib")
        int connection_send_budget_mib() default 1;

        @AttributeDefinition(description = "Open connections allowed from one remote IP address; a new one "
                + "beyond it is closed after its handshake with a sentence saying why")
        int max_connections_per_address() default 16;

        @AttributeDefinition(description = "Open connections allowed from all clients together")
        int max_connections() default 256;

        @AttributeDefinition(description = "Use Linux's native epoll UDP transport (GSO, batched receives) when "
                + "it loads; NIO otherwise")
        boolean native_transport() default true;

        @AttributeDefinition(description = "Largest UDP payload sent, in bytes (1452 fits IPv4 and IPv6 in an "
                + "Ethernet MTU of 1500; raise it only where every link allows more)")
        int udp_payload_bytes() default 1452;

        @AttributeDefinition(description = "Congestion control of what this peer sends: cubic, reno or bbr")
        String congestion_control() default "cubic";
    }

    private static final Logger LOG = LoggerFactory.getLogger(QuicPeerServer.class);
    private static final long CLOSE_WAIT_MILLIS = 2000;
    private static final InetAddress WILDCARD = new InetSocketAddress(0).getAddress();

    private final List<PeerNoticeListener> noticeListeners = new CopyOnWriteArrayList<>();
    private final Set<QuicChannel> connections = ConcurrentHashMap.newKeySet();
    private final UdpTransport udp;
    private final ReadBudget budget;
    private final EventLoopGroup group;
    private final ExecutorService blocking;
    private final Channel channel;
    private final InetSocketAddress localAddress;
    private final LongAdder servedBytes = new LongAdder();
    private final LongAdder acceptedConnections = new LongAdder();
    private final LongAdder refusedConnections = new LongAdder();
    private final ConnectionLimits limits;
    private final RefusalLog refusals = new RefusalLog(LOG);

    @Activate
    public QuicPeerServer(Config config, @Reference LocalLibrary library, @Reference TlsIdentity identity) {
        udp = UdpTransport.choose(config.native_transport(), config.udp_payload_bytes());
        group = udp.newGroup(1, new DefaultThreadFactory("lanspread-quic-server", true));
        int threads = Math.max(1, config.io_threads());
        blocking = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Threads.named("lanspread-quic-server-io"));
        ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
        long requestTimeoutMillis = TimeUnit.SECONDS.toMillis(Math.max(1, config.request_timeout_seconds()));
        SendBudgetSizes sizes = SendBudgetSizes.of(config.send_budget_mib(), config.connection_send_budget_mib(),
                PlatformDependent.maxDirectMemory());
        budget = new ReadBudget(sizes.totalBytes(), blocking);
        long connectionBudgetBytes = sizes.perConnectionBytes();
        limits = new ConnectionLimits(config.max_connections_per_address(), config.max_connections());
        try {
            RequestProcessor processor = new RequestProcessor(library, identity, new MessageCodec(), blocking,
                    new NoticeListeners(noticeListeners), servedBytes, budget,
                    new PartyGate(identity.partyKey(), identity.certificate(), refusals), () -> partialCopies);
            ChannelHandler codec = QuicSettings.apply(new QuicServerCodecBuilder(), Math.max(1, config.max_streams()),
                            udp.udpPayload())
                    .congestionControlAlgorithm(QuicSettings.congestionControl(config.congestion_control()))
                    .sslContext(TlsContexts.server(identity))
                    .tokenHandler(null) // no address-validation retry: one round trip less on a LAN
                    .option(UdpTransport.segmentedSendsOption(), udp.segmentedSends())
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel connection) {
                            InetAddress remote = remoteAddress(connection);
                            String refusal = limits.admit(remote);
                            if (refusal != null) {
                                refusedConnections.increment();
                                refusals.refused(remote, refusal);
                                ConnectionRefusal.refuse(connection, refusal);
                                return;
                            }
                            connections.add(connection);
                            acceptedConnections.increment();
                            new ConnectionBudget(connectionBudgetBytes, budget, blocking).attachTo(connection);
                            connection.closeFuture().addListener(f -> {
                                connections.remove(connection);
                                limits.release(remote);
                            });
                        }
                    })
                    .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel stream) {
                            if (ConnectionRefusal.isRefused(stream.parent())) {
                                stream.close(); // its connection closes as soon as the handshake is done
                                return;
                            }
                            stream.pipeline().addLast(new ServerStreamHandler(processor, requestTimeoutMillis));
                        }
                    })
                    .build();
            InetSocketAddress bind = new InetSocketAddress(config.bind_address(), config.port());
            channel = udp.configure(new Bootstrap()).group(group).handler(codec).bind(bind).syncUninterruptibly().channel();
            localAddress = (InetSocketAddress) channel.localAddress();
        } catch (RuntimeException e) {
            Threads.shutdown(group);
            Threads.shutdown(blocking);
            throw e;
        }
        LOG.info("QUIC server listening on {} ({})", localAddress, udp);
    }

    /** The client's IP address; the wildcard address should a connection ever lack one (counted together). */
    private static InetAddress remoteAddress(QuicChannel connection) {
        SocketAddress remote = connection.remoteSocketAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return WILDCARD;
    }

    /** The games this peer is still downloading and shares (swarming); served when the library lacks them. */
    private volatile PartialCopies partialCopies;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetPartialCopies")
    void setPartialCopies(PartialCopies copies) {
        partialCopies = copies;
    }

    void unsetPartialCopies(PartialCopies copies) {
        if (partialCopies == copies) {
            partialCopies = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeNoticeListener")
    void addNoticeListener(PeerNoticeListener listener) {
        noticeListeners.add(listener);
    }

    void removeNoticeListener(PeerNoticeListener listener) {
        noticeListeners.remove(listener);
    }

    @Deactivate
    void deactivate() {
        closeConnections();
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        Threads.shutdown(group);
        Threads.shutdown(blocking);
    }

    /** Application close (code 0) on every connection, waiting a bounded time for the close to be sent. */
    private void closeConnections() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (QuicChannel connection : connections) {
            closing.add(connection.close(true, 0,
                    Unpooled.copiedBuffer("server shutting down", StandardCharsets.US_ASCII)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** The send budget (for tests). */
    ReadBudget budget() {
        return budget;
    }

    /** The UDP layer in use (for tests). */
    UdpTransport udp() {
        return udp;
    }

    /** Open connections from clients (for tests). */
    int connectionCount() {
        return connections.size();
    }

    /** Connections refused by the limits since the start (for tests). */
    long refusedConnections() {
        return refusedConnections.sum();
    }

    /** The connection limits (for tests). */
    ConnectionLimits limits() {
        return limits;
    }

    /** Connections accepted since the start (for tests). */
    long acceptedConnections() {
        return acceptedConnections.sum();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The newest version (2); connections that negotiated lanspread/1 are still served as version 1. */
    @Override
    public int protocolVersion() {
        return Protocol.VERSION;
    }

    @Override
    public long servedBytes() {
        return servedBytes.sum();
    }
}
