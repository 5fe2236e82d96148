package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

/** A client that starts a request and never finishes it does not hold the server's stream forever. */
class HalfSentRequestTest {

    @TempDir
    Path tmp;

    @Test
    void aStreamWithoutACompleteRequestIsRefusedAfterTheTimeout() throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        QuicPeerServer server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", 0, "request.timeout.seconds", 1)), new TestLibrary(games),
                identity("server"));
        QuicPeerClient client = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class, Map.of()), identity("client"));
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
            client.ping(address).toCompletableFuture().get(10, TimeUnit.SECONDS);
            PeerConnection connection = client.connectionTo(address);
            StringBuilder answer = new StringBuilder();
            QuicStreamChannel stream = (QuicStreamChannel) connection.quic().createStream(QuicStreamType.BIDIRECTIONAL,
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf in = (ByteBuf) msg;
                            synchronized (answer) {
                                answer.append(in.toString(StandardCharsets.UTF_8));
                            }
                            in.release();
                        }
                    }).get(5, TimeUnit.SECONDS);
            // a length prefix announcing 100 bytes, two of them, and no FIN
            stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 0, 0, 0, 100, '{', '"' })).sync();
            long started = System.nanoTime();

            assertThat(Poll.until(() -> {
                synchronized (answer) {
                    return answer.toString().contains("no complete request within 1000 ms");
                }
            }, Duration.ofSeconds(10))).as("the server refused the stream").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(800));
            synchronized (answer) {
                assertThat(answer.toString()).contains("BAD_REQUEST");
            }
            // and stopped reading it: what the client still sends is refused (STOP_SENDING)
            assertThat(Poll.until(() -> !stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 'x' }))
                    .awaitUninterruptibly().isSuccess(), Duration.ofSeconds(10))).isTrue();
            // the connection is fine for everything else
            assertThat(client.listGames(address).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEmpty();
        } finally {
            client.deactivate();
            server.deactivate();
        }
    }

    private IdentityComponent identity(String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", tmp.resolve(name + "-state").toString(), "name", name)));
    }
}
