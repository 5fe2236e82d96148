package io.lanspread.transport.quic.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.transport.PeerServer;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Serves this peer's library over QUIC: one bidirectional stream per request (see docs/protocol.md).
 * Disk reads and hashing run on a blocking executor, never on the event loop.
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
    }

    private static final Logger LOG = LoggerFactory.getLogger(QuicPeerServer.class);

    private final EventLoopGroup group;
    private final ExecutorService blocking;
    private final Channel channel;
    private final InetSocketAddress localAddress;

    @Activate
    public QuicPeerServer(Config config, @Reference LocalLibrary library, @Reference TlsIdentity identity) {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("lanspread-quic-server", true),
                NioIoHandler.newFactory());
        int threads = Math.max(1, config.io_threads());
        blocking = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Threads.named("lanspread-quic-server-io"));
        ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
        try {
            RequestProcessor processor = new RequestProcessor(library, identity, new MessageCodec(), blocking);
            QuicSslContext ssl = QuicSslContextBuilder.forServer(identity.privateKey(), null, identity.certificate())
                    .applicationProtocols(Protocol.ALPN)
                    .build();
            ChannelHandler codec = QuicSettings.apply(new QuicServerCodecBuilder())
                    .sslContext(ssl)
                    .tokenHandler(null) // no address-validation retry: one round trip less on a LAN
                    .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel stream) {
                            stream.pipeline().addLast(new ServerStreamHandler(processor));
                        }
                    })
                    .build();
            InetSocketAddress bind = new InetSocketAddress(config.bind_address(), config.port());
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                    .bind(bind).syncUninterruptibly().channel();
            localAddress = (InetSocketAddress) channel.localAddress();
        } catch (RuntimeException e) {
            Threads.shutdown(group);
            Threads.shutdown(blocking);
            throw e;
        }
        LOG.info("QUIC server listening on {}", localAddress);
    }

    @Deactivate
    void deactivate() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        Threads.shutdown(group);
        Threads.shutdown(blocking);
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int protocolVersion() {
        return Protocol.VERSION;
    }
}
