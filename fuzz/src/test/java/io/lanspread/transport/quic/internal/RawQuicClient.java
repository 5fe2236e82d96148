package io.lanspread.transport.quic.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A QUIC client that sends arbitrary bytes as a request stream and returns everything the server wrote back,
 * written against Netty directly (not the project's client) so that it sends what a hostile peer would.
 * One connection, offering a single ALPN protocol; re-made when the server closed it.
 */
final class RawQuicClient implements AutoCloseable {

    /** A third of the server's idle timeout (30 s). */
    private static final long IDLE_REPLACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What came back on one stream. */
    record Answer(byte[] bytes, boolean finished) {
    }

    private final EventLoopGroup group;
    private final Channel datagram;
    private final InetSocketAddress server;
    private final TlsIdentity identity;
    private final String alpn;
    private final int maxAnswerBytes;
    private QuicChannel connection;
    private long lastUsedNanos;

    RawQuicClient(InetSocketAddress server, TlsIdentity identity, String alpn, int maxAnswerBytes) {
        this.server = server;
        this.identity = identity;
        this.alpn = alpn;
        this.maxAnswerBytes = maxAnswerBytes;
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fuzz-client-" + alpn, true),
                NioIoHandler.newFactory());
        ChannelHandler codec = new QuicClientCodecBuilder()
                .sslContext(QuicSslContextBuilder.forClient()
                        .keyManager(identity.privateKey(), null, identity.certificate())
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .applicationProtocols(alpn).build())
                .maxIdleTimeout(60, TimeUnit.SECONDS)
                .initialMaxData(256L * 1024 * 1024)
                .initialMaxStreamDataBidirectionalLocal(64L * 1024 * 1024)
                .initialMaxStreamsBidirectional(0)
                .build();
        datagram = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec).bind(0)
                .syncUninterruptibly().channel();
    }

    /** Sends {@code request} on a new stream, then FIN, and waits for the server's FIN or reset. */
    Answer exchange(byte[] request, long timeoutMillis) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ChannelHandler handler = new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf in = (ByteBuf) msg;
                        try {
                            if (received.size() + in.readableBytes() > maxAnswerBytes) {
                                answer.completeExceptionally(new AssertionError("the answer exceeds "
                                        + maxAnswerBytes + " bytes"));
                                ctx.close();
                                return;
                            }
                            in.readBytes(received, in.readableBytes());
                        } catch (java.io.IOException e) {
                            answer.completeExceptionally(e);
                        } finally {
                            in.release();
                        }
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof ChannelInputShutdownEvent) {
                            answer.complete(new Answer(received.toByteArray(), true));
                            ctx.close();
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        answer.complete(new Answer(received.toByteArray(), false));
                    }
                };
        // half-closure: the server's FIN arrives as an event, a reset as the stream closing without one
        QuicStreamChannel stream = connection().newStreamBootstrap().type(QuicStreamType.BIDIRECTIONAL)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true).handler(handler).create()
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
        stream.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener(f -> stream.shutdownOutput());
        try {
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stream.close();
            throw new AssertionError("no complete answer within " + timeoutMillis + " ms", e);
        }
    }

    private QuicChannel connection() throws Exception {
        // an idle connection may have been dropped by the server's idle timeout without a word: replace it
        // well before that, so that a request never goes to a connection only this side still knows
        if (connection != null && System.nanoTime() - lastUsedNanos > IDLE_REPLACE_NANOS) {
            connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            connection = null;
        }
        lastUsedNanos = System.nanoTime();
        if (connection == null || !connection.isActive()) {
            connection = QuicChannel.newBootstrap(datagram)
                    .handler(new ChannelInboundHandlerAdapter())
                    .streamHandler(new ChannelInboundHandlerAdapter())
                    .remoteAddress(server)
                    .connect().get(10, TimeUnit.SECONDS);
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        datagram.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
