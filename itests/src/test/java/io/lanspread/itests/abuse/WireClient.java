package io.lanspread.itests.abuse;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * A QUIC client of lanspread's wire protocol written from docs/protocol.md on Netty's QUIC codec (not
 * lanspread's transport): ALPN {@code lanspread/3}, no client certificate (reads need none), any server
 * certificate accepted. Each connection has its own UDP socket on a local address of the caller's
 * choice, and its own flow-control windows: small ones make a client that does not read pin the
 * peer's data on the peer's side, not in this process.
 */
final class WireClient implements AutoCloseable {

    /** The receive windows this client grants the peer: per connection and per stream. */
    record Windows(long maxData, long maxStreamData) {
    }

    private final EventLoopGroup group;
    private final QuicSslContext ssl;

    WireClient(int threads) {
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        ssl = QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(WireFrames.ALPN).build();
    }

    /** Connects from {@code local} (port 0: any) to {@code peer}. */
    CompletableFuture<WireConnection> connect(InetSocketAddress local, InetSocketAddress peer, Windows windows) {
        return connect(local, peer, windows, 0);
    }

    /** Like {@link #connect(InetSocketAddress, InetSocketAddress, Windows)}, keeping {@code reserve} streams for pings. */
    CompletableFuture<WireConnection> connect(InetSocketAddress local, InetSocketAddress peer, Windows windows, int reserve) {
        CompletableFuture<WireConnection> result = new CompletableFuture<>();
        ChannelHandler codec = new QuicClientCodecBuilder().sslContext(ssl)
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(windows.maxData())
                .initialMaxStreamDataBidirectionalLocal(windows.maxStreamData())
                .initialMaxStreamDataBidirectionalRemote(windows.maxStreamData())
                .initialMaxStreamsBidirectional(0) // the peer opens no streams
                .initialMaxStreamsUnidirectional(0)
                .build();
        new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .option(ChannelOption.SO_RCVBUF, 1 << 20).bind(local).addListener(bound -> {
                    if (!bound.isSuccess()) {
                        result.completeExceptionally(bound.cause());
                        return;
                    }
                    Channel datagram = ((ChannelFuture) bound).channel();
                    WireConnection.Credit credit = new WireConnection.Credit(reserve);
                    QuicChannel.newBootstrap(datagram).handler(credit)
                            .streamHandler(new ChannelInboundHandlerAdapter())
                            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                            .remoteAddress(peer).connect().addListener(connected -> {
                                if (!connected.isSuccess()) {
                                    datagram.close();
                                    result.completeExceptionally(connected.cause());
                                    return;
                                }
                                QuicChannel quic = (QuicChannel) connected.getNow();
                                quic.closeFuture().addListener(c -> datagram.close());
                                result.complete(new WireConnection((InetSocketAddress) datagram.localAddress(), datagram,
                                        quic, credit));
                            });
                });
        return result;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
