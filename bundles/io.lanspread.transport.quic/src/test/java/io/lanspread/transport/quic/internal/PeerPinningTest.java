package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;

/**
 * Two peers with their own identities take turns on the same UDP port of 127.0.0.1: the client pins the
 * peer id it learnt from a ping or hello to the address and refuses answers from anyone else.
 */
class PeerPinningTest {

    @TempDir
    Path tmp;

    private IdentityComponent first;
    private IdentityComponent second;
    private CountingLibrary firstLibrary;
    private CountingLibrary secondLibrary;
    private QuicPeerServer server;
    private QuicPeerClient client;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        Path firstGames = Files.createDirectories(tmp.resolve("first/games"));
        Files.createDirectories(firstGames.resolve("quake"));
        Files.writeString(firstGames.resolve("quake/version.ini"), "version=1\n");
        Path secondGames = Files.createDirectories(tmp.resolve("second/games"));
        Files.createDirectories(secondGames.resolve("unreal"));
        Files.writeString(secondGames.resolve("unreal/version.ini"), "version=2\n");
        firstLibrary = new CountingLibrary(new TestLibrary(firstGames));
        secondLibrary = new CountingLibrary(new TestLibrary(secondGames));
        first = identity(tmp.resolve("first/state"), "first");
        second = identity(tmp.resolve("second/state"), "second");
        assertThat(first.peerId()).isNotEqualTo(second.peerId());

        server = server(firstLibrary, first, 0);
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
        client = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class,
                Map.of("request.timeout.seconds", 3, "connect.timeout.seconds", 2, "notice.timeout.seconds", 2)),
                identity(tmp.resolve("client-state"), "client"));
    }

    @AfterEach
    void stop() {
        client.deactivate();
        if (server != null) {
            server.deactivate();
        }
    }

    @Test
    void aPingPinsTheCertificatesPeerId() throws Exception {
        assertThat(client.pinnedPeerId(address)).isNull();
        assertThat(get(client.listGames(address))).extracting(Game::id).containsExactly("quake"); // no pin: allowed
        assertThat(client.pinnedPeerId(address)).isNull();

        get(client.ping(address));

        assertThat(client.pinnedPeerId(address)).isEqualTo(first.peerId());
        assertThat(get(client.listGames(address))).extracting(Game::id).containsExactly("quake");
    }

    @Test
    void anotherPeerAtThePinnedAddressIsRefusedWithoutServingAnything() throws Exception {
        get(client.ping(address));
        takeOver();

        for (CompletionStage<?> request : List.of(
                client.getChunk(address, "unreal", "version.ini", 0, 3),
                client.listGames(address),
                client.getGame(address, "unreal"),
                client.getFile(address, "unreal", "version.ini", tmp.resolve("copy.ini")),
                client.libraryChanged(address, 3))) {
            PeerRequestException failure = failure(request);
            assertThat(failure.reason()).as(failure.getMessage()).isEqualTo(Reason.PROTOCOL);
            assertThat(failure.getMessage()).isEqualTo("peer at " + address + " is now " + second.peerId()
                    + ", expected " + first.peerId());
        }
        assertThat(secondLibrary.reads.get()).isZero(); // refused before a request stream was opened
        assertThat(tmp.resolve("copy.ini")).doesNotExist();
        assertThat(client.pinnedPeerId(address)).isEqualTo(first.peerId()); // only a ping or hello re-pins
        // the impostor's connection is dropped
        assertThat(Poll.until(() -> server.connectionCount() == 0, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aHelloToTheNewPeerRepinsTheAddress() throws Exception {
        get(client.ping(address));
        takeOver();
        assertThat(failure(client.listGames(address)).reason()).isEqualTo(Reason.PROTOCOL);

        assertThat(get(client.hello(address, 42424, 1)).peerId()).isEqualTo(second.peerId());

        assertThat(client.pinnedPeerId(address)).isEqualTo(second.peerId());
        assertThat(get(client.listGames(address))).extracting(Game::id).containsExactly("unreal");
        assertThat(get(client.getChunk(address, "unreal", "version.ini", 0, 3)).data().remaining()).isEqualTo(3);
    }

    @Test
    void aPingToTheNewPeerRepinsTheAddress() throws Exception {
        get(client.ping(address));
        takeOver();

        assertThat(get(client.ping(address)).peerId()).isEqualTo(second.peerId());

        assertThat(get(client.listGames(address))).extracting(Game::id).containsExactly("unreal");
    }

    @Test
    void disconnectForgetsThePin() throws Exception {
        get(client.ping(address));
        client.disconnect(address);
        assertThat(client.pinnedPeerId(address)).isNull();
        takeOver();

        assertThat(get(client.listGames(address))).extracting(Game::id).containsExactly("unreal");
        assertThat(secondLibrary.reads.get()).isPositive();
    }

    // ------------------------------------------------------------------ helpers

    /** Stops the first peer and starts the second on the same port, once the client saw the first one go. */
    private void takeOver() {
        server.deactivate();
        server = null;
        assertThat(Poll.until(() -> client.connectionTo(address) == null, Duration.ofSeconds(5))).isTrue();
        server = server(secondLibrary, second, address.getPort());
        assertThat(server.localAddress().getPort()).isEqualTo(address.getPort());
    }

    private static QuicPeerServer server(LocalLibrary library, TlsIdentity identity, int port) {
        return new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", port)), library, identity);
    }

    private static IdentityComponent identity(Path stateDir, String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", stateDir.toString(), "name", name)));
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static PeerRequestException failure(CompletionStage<?> stage) {
        Throwable thrown = null;
        try {
            get(stage);
        } catch (Exception e) {
            thrown = e;
        }
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(PeerRequestException.class);
        return (PeerRequestException) thrown.getCause();
    }

    /** Counts what the server reads from its library for listGames, getGame and file requests. */
    private static final class CountingLibrary extends ForwardingLibrary {
        final AtomicInteger reads = new AtomicInteger();

        CountingLibrary(LocalLibrary real) {
            super(real);
        }

        @Override
        public List<Game> games() {
            reads.incrementAndGet();
            return real.games();
        }

        @Override
        public Optional<Game> game(String gameId) {
            reads.incrementAndGet();
            return real.game(gameId);
        }

        @Override
        public List<GameFile> files(String gameId) throws IOException {
            reads.incrementAndGet();
            return real.files(gameId);
        }

        @Override
        public Path resolve(String gameId, String relativePath) {
            reads.incrementAndGet();
            return real.resolve(gameId, relativePath);
        }

        @Override
        public Optional<GameManifest> manifest(String gameId) {
            reads.incrementAndGet();
            return real.manifest(gameId);
        }


    }
}
