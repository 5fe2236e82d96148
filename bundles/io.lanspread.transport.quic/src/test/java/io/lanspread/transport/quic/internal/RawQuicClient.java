package io.lanspread.transport.quic.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.ProtocolException;
import io.lanspread.protocol.Response;
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
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * A bare QUIC client for tests that play a hostile or unusual peer: one connection from a chosen source
 * address with chosen flow-control windows, raw request frames, streams that may never be read.
 */
final class RawQuicClient implements AutoCloseable {

    /** One request stream: every byte the server sent, and when the stream ended. */
    static final class RawStream extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile QuicStreamChannel channel;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            synchronized (received) {
                byte[] bytes = new byte[in.readableBytes()];
                in.readBytes(bytes);
                received.writeBytes(bytes);
            }
            in.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ended.complete(null); // the server's FIN: its answer is complete
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended.complete(null);
        }

        /** The first response frame, once the stream ended. */
        Response response(int version) throws Exception {
            ended.get(10, TimeUnit.SECONDS);
            byte[] bytes;
            synchronized (received) {
                bytes = received.toByteArray();
            }
            if (bytes.length == 0) {
                throw new ProtocolException("the stream ended without a response");
            }
            return new MessageCodec().decodeResponseFrame(ByteBuffer.wrap(bytes), version);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel datagram;
    private final QuicChannel quic;

    /** With lanspread's windows. */
    RawQuicClient(InetSocketAddress server, InetAddress local, TlsIdentity identity) throws Exception {
        this(server, local, identity, QuicSettings.MAX_DATA, QuicSettings.MAX_STREAM_DATA);
    }

    /** @param maxData, maxStreamData how much the server may send before this client reads (flow control) */
    RawQuicClient(InetSocketAddress server, InetAddress local, TlsIdentity identity, long maxData, long maxStreamData)
            throws Exception {
        try {
            ChannelHandler codec = new QuicClientCodecBuilder().sslContext(TlsContexts.client(identity))
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(maxData)
                    .initialMaxStreamDataBidirectionalLocal(maxStreamData)
                    .initialMaxStreamDataBidirectionalRemote(maxStreamData)
                    .initialMaxStreamsBidirectional(0)
                    .initialMaxStreamsUnidirectional(0)
                    .build();
            datagram = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                    .bind(new InetSocketAddress(local, 0)).sync().channel();
            quic = QuicChannel.newBootstrap(datagram).streamHandler(new ChannelInboundHandlerAdapter())
                    .remoteAddress(server).connect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    QuicChannel quic() {
        return quic;
    }

    /** Sends one frame and FIN on a new stream; with {@code read} false nothing the server sends is read. */
    RawStream send(byte[] frame, boolean read) throws Exception {
        RawStream stream = new RawStream();
        QuicStreamChannel channel = quic.newStreamBootstrap().type(QuicStreamType.BIDIRECTIONAL)
                .option(ChannelOption.AUTO_READ, read).option(ChannelOption.ALLOW_HALF_CLOSURE, true).handler(stream).create().get(10, TimeUnit.SECONDS);
        stream.channel = channel;
        channel.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(f -> channel.shutdownOutput()).sync();
        return stream;
    }

    @Override
    public void close() {
        quic.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        datagram.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
