package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.Game;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;

/**
 * The server's connection limits, per remote address and in total, over real QUIC: clients bound to different
 * 127.0.0.x source addresses (all of 127/8 routes over lo, no root needed).
 */
class ConnectionLimitTest {

    @TempDir
    Path tmp;

    private static final InetAddress SECOND = address("127.0.0.2");

    private QuicPeerServer server;
    private InetSocketAddress address;
    private final List<QuicPeerClient> clients = new ArrayList<>();

    private void startServer(int perAddress, int total) throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        Files.createDirectories(games.resolve("quake"));
        Files.writeString(games.resolve("quake/version.ini"), "version=1\n");
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class, Map.of("bind.address", "127.0.0.1",
                "port", 0, "max.connections.per.address", perAddress, "max.connections", total)),
                new TestLibrary(games), identity("server"));
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
    }

    @AfterEach
    void stop() {
        clients.forEach(QuicPeerClient::deactivate);
        if (server != null) {
            server.deactivate();
        }
    }

    @Test
    void aConnectionBeyondThePerAddressLimitIsRefusedWithASentenceAndTheOthersKeepWorking() throws Exception {
        startServer(2, 100);
        QuicPeerClient first = client("127.0.0.2");
        QuicPeerClient second = client("127.0.0.2");
        QuicPeerClient third = client("127.0.0.2");
        QuicPeerClient elsewhere = client("127.0.0.3");
        ping(first);
        ping(second);

        PeerRequestException refused = failure(third);
        assertThat(refused.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(refused.getMessage()).isEqualTo("peer at " + address + " refused the connection: too many "
                + "connections from 127.0.0.2: this peer allows 2 per address");
        assertThat(server.refusedConnections()).isEqualTo(1);

        // another address is not affected, nor are the connections already open
        ping(elsewhere);
        assertThat(first.listGames(address).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .extracting(Game::id).containsExactly("quake");
        assertThat(second.listGames(address).toCompletableFuture().get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(server.limits().open(SECOND)).isEqualTo(2);

        // once one leaves, the refused client gets in with its next ping (a failed ping replaced its connection)
        first.deactivate();
        assertThat(Poll.until(() -> server.limits().open(SECOND) == 1,
                Duration.ofSeconds(10))).isTrue();
        ping(third);
        assertThat(server.limits().open(SECOND)).isEqualTo(2);
    }

    @Test
    void aConnectionBeyondTheTotalLimitIsRefusedWhateverItsAddress() throws Exception {
        startServer(16, 3);
        for (int host = 2; host <= 4; host++) {
            ping(client("127.0.0." + host));
        }
        QuicPeerClient fourth = client("127.0.0.5");
        PeerRequestException refused = failure(fourth);
        assertThat(refused.getMessage()).isEqualTo("peer at " + address + " refused the connection: too many "
                + "connections: this peer allows 3 at once");
        assertThat(server.connectionCount()).isEqualTo(3);
        assertThat(server.limits().open()).isEqualTo(3);
        for (QuicPeerClient served : clients.subList(0, 3)) {
            assertThat(served.listGames(address).toCompletableFuture().get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void closedConnectionsGiveTheirPlaceBack() throws Exception {
        startServer(1, 1);
        for (int round = 0; round < 3; round++) {
            QuicPeerClient client = client("127.0.0.2");
            ping(client);
            client.deactivate(); // an application close: the server learns of it at once
            assertThat(Poll.until(() -> server.limits().open() == 0, Duration.ofSeconds(10)))
                    .as("round %d: open connections %d", round, server.limits().open()).isTrue();
        }
        assertThat(server.refusedConnections()).isZero();
    }

    private QuicPeerClient client(String source) throws Exception {
        QuicPeerClient client = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class, Map.of()),
                identity("client-" + clients.size()), address(source));
        clients.add(client);
        return client;
    }

    private PeerHello ping(QuicPeerClient client) throws Exception {
        return client.ping(address).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private PeerRequestException failure(QuicPeerClient client) throws Exception {
        try {
            ping(client);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerRequestException.class);
            return (PeerRequestException) e.getCause();
        }
        throw new AssertionError("the ping succeeded");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private IdentityComponent identity(String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", tmp.resolve(name + "-state").toString(), "name", name)));
    }
}
