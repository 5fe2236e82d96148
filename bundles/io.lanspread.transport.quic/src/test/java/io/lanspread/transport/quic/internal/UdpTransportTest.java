package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The UDP layer under QUIC: the native epoll transport (with GSO) where it loads, NIO as the fallback, and
 * every pairing of the two (with and without coalesced receives) moving a file byte for byte over real QUIC on
 * 127.0.0.1.
 */
class UdpTransportTest {

    @TempDir
    Path tmp;

    @Test
    void nioWhenNativeIsNotWanted() {
        UdpTransport udp = UdpTransport.choose(false, 1452);
        assertThat(udp.isNative()).isFalse();
        assertThat(udp.segmentsSends()).isFalse();
        assertThat(udp.toString()).isEqualTo("NIO");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void epollWithSegmentedSendsOnLinux() {
        assertThat(Epoll.isAvailable()).as("native epoll: %s", Epoll.unavailabilityCause()).isTrue();
        UdpTransport udp = UdpTransport.choose(true, 1452);
        assertThat(udp.isNative()).isTrue();
        assertThat(udp.segmentsSends()).isTrue();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aDownloadingSocketTakesCoalescedReceivesAndAServerSocketBatchedOnes() throws Exception {
        UdpTransport coalescing = UdpTransport.choose(true, true, 1452);
        UdpTransport batching = UdpTransport.choose(true, 1452);
        assertThat(coalescing.coalescesReceives()).isTrue();
        assertThat(coalescing.toString()).isEqualTo("epoll with UDP GSO and GRO");
        assertThat(batching.coalescesReceives()).isFalse();
        assertThat(UdpTransport.choose(false, true, 1452).coalescesReceives()).as("NIO has no GRO").isFalse();
        EventLoopGroup group = coalescing.newGroup(1, new DefaultThreadFactory("udp-test", true));
        try {
            Channel gro = bind(coalescing, group);
            Channel batched = bind(batching, group);
            // the option really reached the socket (a refused setsockopt is only logged by Netty)
            assertThat(gro.config().getOption(EpollChannelOption.UDP_GRO)).isTrue();
            assertThat(gro.config().getOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE)).isZero();
            assertThat(batched.config().getOption(EpollChannelOption.UDP_GRO)).isFalse();
            assertThat(batched.config().getOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE)).isPositive();
            gro.close().sync();
            batched.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static Channel bind(UdpTransport udp, EventLoopGroup group) throws InterruptedException {
        return udp.configure(new Bootstrap()).group(group).handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @ParameterizedTest(name = "server native={0}, client native={1}, client GRO={2}, payload={3}")
    @CsvSource({ "true,true,true,1452", "true,true,false,1452", "true,false,false,1452", "false,true,true,1452",
            "false,false,false,1452", "true,true,true,1200" })
    void aFileArrivesWholeOverEveryPairing(boolean serverNative, boolean clientNative, boolean clientGro, int payload)
            throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        Path game = Files.createDirectories(games.resolve("quake"));
        Files.writeString(game.resolve("version.ini"), "version=1\n");
        byte[] data = new byte[5 * 1024 * 1024 + 321];
        new Random(7).nextBytes(data);
        Files.write(game.resolve("pak0.pak"), data);

        QuicPeerServer server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", 0, "native.transport", serverNative,
                        "udp.payload.bytes", payload)),
                new TestLibrary(games), identity(tmp.resolve("server-state")));
        QuicPeerClient client = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class,
                Map.of("native.transport", clientNative, "udp.gro", clientGro, "udp.payload.bytes", payload)),
                identity(tmp.resolve("client-state")));
        try {
            assertThat(server.udp().isNative()).isEqualTo(serverNative && Epoll.isAvailable());
            assertThat(client.udp().isNative()).isEqualTo(clientNative && Epoll.isAvailable());
            assertThat(client.udp().coalescesReceives()).isEqualTo(clientGro && clientNative && Epoll.isAvailable());
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
            Path target = tmp.resolve("copy.pak");
            long written = client.getFile(address, "quake", "pak0.pak", target).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(written).isEqualTo(data.length);
            assertThat(Files.readAllBytes(target)).isEqualTo(data);
            assertThat(server.servedBytes()).isEqualTo(data.length);
        } finally {
            client.deactivate();
            server.deactivate();
        }
    }

    private static IdentityComponent identity(Path stateDir) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", stateDir.toString(), "name", "udp test")));
    }
}
