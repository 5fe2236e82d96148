package io.lanspread.transport.quic.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.PartialCopies;
import io.lanspread.protocol.MessageCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;

/**
 * One bound QUIC server socket with its event loop, TLS context, limits and send budget. The server component
 * keeps one; a change of what is baked into it (address, port, UDP layer, stream limit, congestion control,
 * budgets, the identity's key or party key) makes a new one in the same component, and the old one closes its
 * connections: clients reconnect and their downloads continue.
 */
final class ServerEndpoint {

    private static final long CLOSE_WAIT_MILLIS = 2000;
    private static final InetAddress WILDCARD = new InetSocketAddress(0).getAddress();

    /** What a socket is bound and built with; any change needs a new endpoint. */
    record Settings(String bindAddress, int port, boolean nativeTransport, int udpPayloadBytes, int maxStreams,
            String congestionControl, int sendBudgetMib, int connectionSendBudgetMib) {

        static Settings of(QuicPeerServer.Config config) {
            return new Settings(config.bind_address(), config.port(), config.native_transport(),
                    config.udp_payload_bytes(), Math.max(1, config.max_streams()), config.congestion_control(),
                    config.send_budget_mib(), config.connection_send_budget_mib());
        }

    }

    /** What the endpoints of one server share: its counters, threads, listeners and live settings. */
    record Shared(LocalLibrary library, TlsIdentity identity, ExecutorService blocking, NoticeListeners notices,
            ServerCounters counters, RefusalLog refusals, LongSupplier requestTimeoutMillis,
            Supplier<PartialCopies> partialCopies, FairServing fair) {
    }

    private final Settings settings;
    private final TlsIdentity keys;
    private final Set<QuicChannel> connections = ConcurrentHashMap.newKeySet();
    private final UdpTransport udp;
    private final ReadBudget budget;
    private final ConnectionLimits limits;
    private final EventLoopGroup group;
    private final Channel channel;
    private final InetSocketAddress localAddress;

    /**
     * Binds the socket.
     *
     * @param port the port to bind: the configured one, or the one bound before when the configuration says 0
     * @param keys the identity's key material now (TLS and party key); names are read live from the shared one
     */
    ServerEndpoint(Settings settings, int port, TlsIdentity keys, Shared shared, int maxPerAddress,
            int maxConnections) {
        this.settings = settings;
        this.keys = keys;
        udp = UdpTransport.choose(settings.nativeTransport(), settings.udpPayloadBytes());
        group = udp.newGroup(1, new DefaultThreadFactory("lanspread-quic-server", true));
        SendBudgetSizes sizes = SendBudgetSizes.of(settings.sendBudgetMib(), settings.connectionSendBudgetMib(),
                PlatformDependent.maxDirectMemory());
        budget = new ReadBudget(sizes.totalBytes(), shared.blocking());
        long connectionBudgetBytes = sizes.perConnectionBytes();
        limits = new ConnectionLimits(maxPerAddress, maxConnections);
        ServerCounters counters = shared.counters();
        try {
            RequestProcessor processor = new RequestProcessor(shared.library(), shared.identity(), new MessageCodec(),
                    shared.blocking(), shared.notices(), counters.served(), budget,
                    new PartyGate(keys.partyKey(), keys.certificate(), shared.refusals()), shared.partialCopies(),
                    shared.fair());
            ChannelHandler codec = QuicSettings.apply(new QuicServerCodecBuilder(), settings.maxStreams(),
                            udp.udpPayload())
                    .congestionControlAlgorithm(QuicSettings.congestionControl(settings.congestionControl()))
                    .sslContext(TlsContexts.server(keys))
                    .tokenHandler(null) // no address-validation retry: one round trip less on a LAN
                    .option(UdpTransport.segmentedSendsOption(), udp.segmentedSends())
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel connection) {
                            InetAddress remote = remoteAddress(connection);
                            String refusal = limits.admit(remote);
                            if (refusal != null) {
                                counters.refused().increment();
                                shared.refusals().refused(remote, refusal);
                                ConnectionRefusal.refuse(connection, refusal);
                                return;
                            }
                            connections.add(connection);
                            counters.accepted().increment();
                            new ConnectionBudget(connectionBudgetBytes, budget, shared.blocking()).attachTo(connection);
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
                            stream.pipeline().addLast(new ServerStreamHandler(processor,
                                    shared.requestTimeoutMillis().getAsLong()));
                        }
                    })
                    .build();
            InetSocketAddress bind = new InetSocketAddress(settings.bindAddress(), port);
            channel = udp.configure(new Bootstrap()).group(group).handler(codec).bind(bind).syncUninterruptibly()
                    .channel();
            localAddress = (InetSocketAddress) channel.localAddress();
        } catch (Throwable e) { // Netty throws a failed bind's IOException unchecked
            Threads.shutdown(group);
            throw e;
        }
    }

    /** The client's IP address; the wildcard address should a connection ever lack one (counted together). */
    private static InetAddress remoteAddress(QuicChannel connection) {
        SocketAddress remote = connection.remoteSocketAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return WILDCARD;
    }

    /**
     * Application close (code 0, with {@code why}) on every connection, waiting a bounded time for the closes
     * to be sent, then the socket and its event loop.
     */
    void close(String why) {
        List<ChannelFuture> closing = new ArrayList<>();
        for (QuicChannel connection : connections) {
            closing.add(connection.close(true, 0, Unpooled.copiedBuffer(why, StandardCharsets.US_ASCII)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        Threads.shutdown(group);
    }

    Settings settings() {
        return settings;
    }

    TlsIdentity keys() {
        return keys;
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    ReadBudget budget() {
        return budget;
    }

    UdpTransport udp() {
        return udp;
    }

    ConnectionLimits limits() {
        return limits;
    }

    int connectionCount() {
        return connections.size();
    }
}
