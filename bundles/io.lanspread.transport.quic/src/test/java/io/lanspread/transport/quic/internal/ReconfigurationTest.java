package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;

/**
 * Configuration changes applied in place, on real QUIC over 127.0.0.1: the same server and client instances
 * keep running; settings baked into the socket move the server to a new one, the rest apply live.
 */
class ReconfigurationTest {

    @TempDir
    Path tmp;

    private IdentityComponent serverIdentity;
    private IdentityComponent clientIdentity;
    private QuicPeerServer server;
    private QuicPeerClient client;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(tmp.resolve("games/doom"));
        Files.writeString(tmp.resolve("games/doom/version.ini"), "version=2\n");
        serverIdentity = identity("state", "server", "");
        server = new QuicPeerServer(serverConfig(Map.of()), new TestLibrary(tmp.resolve("games")), serverIdentity);
        clientIdentity = identity("client-state", "client", "");
        client = new QuicPeerClient(clientConfig(Map.of()), clientIdentity);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.deactivate();
        }
        if (server != null) {
            server.deactivate();
        }
    }

    @Test
    void aNewPortMovesTheServerToANewSocketInTheSameInstance() throws Exception {
        InetSocketAddress before = local(server);
        assertThat(get(client.ping(before)).peerId()).isEqualTo(serverIdentity.peerId());
        int port = freeUdpPort();

        server.modified(serverConfig(Map.of("port", port)));

        InetSocketAddress after = local(server);
        assertThat(after.getPort()).isEqualTo(port);
        // the old socket closes in the background (its connections' closes are sent first)
        assertThat(Poll.until(() -> udpPortFree(before.getPort()), Duration.ofSeconds(10)))
                .as("the old socket is closed").isTrue();
        assertThat(get(client.ping(after)).peerId()).isEqualTo(serverIdentity.peerId());
        assertThatThrownBy(() -> get(client.ping(before))).hasCauseInstanceOf(PeerRequestException.class);
    }

    @Test
    void liveSettingsKeepTheSocketAndTheConnections() throws Exception {
        InetSocketAddress address = local(server);
        get(client.ping(address));
        PeerConnection connection = client.connectionTo(address);

        server.modified(serverConfig(Map.of("request.timeout.seconds", 9, "io.threads", 2,
                "max.connections.per.address", 3, "max.connections", 7)));
        client.modified(clientConfig(Map.of("request.timeout.seconds", 4, "chunk.timeout.seconds", 9)));

        assertThat(local(server)).isEqualTo(address);
        assertThat(server.limits().perAddress()).isEqualTo(3);
        assertThat(server.limits().total()).isEqualTo(7);
        get(client.ping(address));
        assertThat(client.connectionTo(address)).as("the same connection").isSameAs(connection);
        assertThat(connection.isActive()).isTrue();
    }

    @Test
    void aNewNameIsAnsweredWithoutReconnecting() throws Exception {
        InetSocketAddress address = local(server);
        assertThat(get(client.ping(address)).name()).isEqualTo("server");
        PeerConnection connection = client.connectionTo(address);

        serverIdentity.modified(identityConfig("state", "renamed", ""));
        server.identityUpdated(serverIdentity);

        assertThat(get(client.ping(address)).name()).isEqualTo("renamed");
        assertThat(client.connectionTo(address)).isSameAs(connection);
        assertThat(local(server)).isEqualTo(address);
    }

    @Test
    void aNewPartyKeyRenewsTheServersTlsAndItsGate() throws Exception {
        InetSocketAddress address = local(server);
        get(client.ping(address));

        serverIdentity.modified(identityConfig("state", "server", "secret"));
        server.identityUpdated(serverIdentity);

        // the client without the key is refused now, on a new connection (the old one was closed)
        assertThatThrownBy(() -> get(client.listGames(address))).hasCauseInstanceOf(PeerRequestException.class);
        // the same client instance joins the party when its identity gets the key
        clientIdentity.modified(identityConfig("client-state", "client", "secret"));
        client.identityUpdated(clientIdentity);
        assertThat(get(client.listGames(address))).isNotEmpty();
    }

    @Test
    void aNewStateFolderGivesTheServerTheKeyAndPeerIdFoundThere() throws Exception {
        InetSocketAddress address = local(server);
        String before = get(client.ping(address)).peerId();

        serverIdentity.modified(identityConfig("other-state", "server", ""));
        server.identityUpdated(serverIdentity);

        String after = pingAfterMove(address).peerId();
        assertThat(after).isNotEqualTo(before).isEqualTo(serverIdentity.peerId());
        assertThat(local(server)).isEqualTo(address);
    }

    @Test
    void aServerOnPortZeroKeepsThePortItPickedWhenItMovesToANewSocket() throws Exception {
        InetSocketAddress address = local(server);

        server.modified(serverConfig(Map.of("max.streams", 32, "congestion.control", "reno")));

        assertThat(local(server)).isEqualTo(address);
        assertThat(pingAfterMove(address).peerId()).isEqualTo(serverIdentity.peerId());
    }

    @Test
    void aPortThatCannotBeBoundLeavesTheServerWhereItWas() throws Exception {
        InetSocketAddress address = local(server);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            server.modified(serverConfig(Map.of("port", taken.getLocalPort())));
        }

        assertThat(local(server)).isEqualTo(address);
        assertThat(get(client.ping(address)).peerId()).isEqualTo(serverIdentity.peerId());
    }

    @Test
    void aNewUdpLayerReconnectsTheClient() throws Exception {
        InetSocketAddress address = local(server);
        get(client.ping(address));
        PeerConnection connection = client.connectionTo(address);

        client.modified(clientConfig(Map.of("event.loop.threads", 1, "native.transport", false)));

        assertThat(client.udp().toString()).contains("NIO");
        PeerHello hello = get(client.ping(address));
        assertThat(hello.peerId()).isEqualTo(serverIdentity.peerId());
        assertThat(client.connectionTo(address)).isNotSameAs(connection);
        assertThat(connection.isActive()).isFalse();
    }

    /**
     * A ping right after the server moved to a new socket may still go out on the connection the server just
     * closed (its close is on the way) and fail, as any request then does; the next one connects anew.
     */
    private PeerHello pingAfterMove(InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            try {
                return get(client.ping(address));
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static InetSocketAddress local(QuicPeerServer server) {
        return new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
    }

    private static QuicPeerServer.Config serverConfig(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(Map.of("bind.address", "127.0.0.1", "port", 0));
        properties.putAll(overrides);
        return Configs.of(QuicPeerServer.Config.class, properties);
    }

    private static QuicPeerClient.Config clientConfig(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(Map.of("request.timeout.seconds", 3,
                "connect.timeout.seconds", 1));
        properties.putAll(overrides);
        return Configs.of(QuicPeerClient.Config.class, properties);
    }

    private IdentityComponent identity(String state, String name, String partyKey) throws Exception {
        return new IdentityComponent(identityConfig(state, name, partyKey));
    }

    private IdentityComponent.Config identityConfig(String state, String name, String partyKey) {
        return Configs.of(IdentityComponent.Config.class, Map.of("state.dir", tmp.resolve(state).toString(),
                "name", name, ".party.key", partyKey));
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e;
        }
    }

    private static int freeUdpPort() throws SocketException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return socket.getLocalPort();
        }
    }

    private static boolean udpPortFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }
}
