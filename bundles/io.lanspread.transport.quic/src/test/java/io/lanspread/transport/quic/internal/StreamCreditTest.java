package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;

/**
 * The client never opens more streams than the server allows: requests beyond the limit wait on their
 * connection, each with its own timeout, and start as streams end. Real QUIC on 127.0.0.1.
 */
class StreamCreditTest {

    private static final int STREAMS = 16;

    @TempDir
    Path tmp;

    private GatedLibrary library;
    private QuicPeerServer server;
    private QuicPeerClient client;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        Files.createDirectories(games.resolve("quake/id1"));
        Files.writeString(games.resolve("quake/version.ini"), "version=1.09\n");
        Files.writeString(games.resolve("quake/id1/pak0.pak"), "pak");
        library = new GatedLibrary(new TestLibrary(games));
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class, Map.of("bind.address", "127.0.0.1",
                "port", 0, "max.streams", STREAMS, "io.threads", 4 * STREAMS)), library, identity("server"));
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
    }

    private QuicPeerClient client(Map<String, Object> properties) throws Exception {
        return new QuicPeerClient(Configs.of(QuicPeerClient.Config.class, properties), identity("client"));
    }

    @AfterEach
    void stop() {
        library.open();
        if (client != null) {
            client.deactivate();
        }
        server.deactivate();
    }

    @Test
    void twoHundredConcurrentRequestsShareOneConnectionWithinTheStreamLimit() throws Exception {
        client = client(Map.of("request.timeout.seconds", 30));
        library.close();
        List<CompletableFuture<List<GameFile>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(client.getGame(address, "quake").toCompletableFuture());
        }
        // the server holds every answer: exactly the allowed number of requests reach it, the others wait
        assertThat(Poll.until(() -> library.inFlight.get() == STREAMS, Duration.ofSeconds(10)))
                .as("requests in flight at the server: %s", library.inFlight).isTrue();
        PeerConnection connection = client.connectionTo(address);
        assertThat(Poll.until(() -> waiting(connection) == 200 - STREAMS, Duration.ofSeconds(10)))
                .as("requests waiting for a stream: %s", waiting(connection)).isTrue();

        library.open();

        for (CompletableFuture<List<GameFile>> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS)).contains(new GameFile("id1/pak0.pak", 3, false));
        }
        assertThat(library.calls.get()).isEqualTo(200);
        assertThat(library.maxInFlight.get()).isEqualTo(STREAMS);
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(client.connectionTo(address)).isSameAs(connection);
        assertThat(connection.isActive()).isTrue();
        assertThat(waiting(connection)).isZero();
    }

    @Test
    void manyMoreRequestsThanStreamsWithoutAHoldAllSucceed() throws Exception {
        client = client(Map.of("request.timeout.seconds", 30));
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<List<Game>>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                answers.add(client.listGames(address).toCompletableFuture());
            }
            for (CompletableFuture<List<Game>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).extracting(Game::id).containsExactly("quake");
            }
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void waitingRequestsTimeOutOnTheirOwn() throws Exception {
        client = client(Map.of("request.timeout.seconds", 30));
        library.close();
        List<CompletableFuture<List<GameFile>>> held = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            held.add(client.getGame(address, "quake").toCompletableFuture());
        }
        assertThat(Poll.until(() -> library.inFlight.get() == STREAMS, Duration.ofSeconds(10))).isTrue();
        PeerConnection connection = client.connectionTo(address);

        // these wait behind the held ones, with a timeout of their own far shorter than theirs
        byte[] frame = new MessageCodec().encode(new Request.GetGame("quake"));
        long started = System.nanoTime();
        List<CompletableFuture<List<GameFile>>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(client.exchange(address, frame, Duration.ofSeconds(1), false, true,
                    (completion, c) -> new ControlResponseHandler<>(completion, new MessageCodec(),
                            Response.GameFiles.class, Response.GameFiles::files)));
        }
        for (CompletableFuture<List<GameFile>> answer : waiting) {
            assertThat(failure(answer, Reason.TIMEOUT).getMessage()).startsWith("no stream to");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(waiting(connection)).isZero();
        assertThat(library.calls.get()).isEqualTo(STREAMS); // none of them reached the server
        assertThat(held).noneMatch(CompletableFuture::isDone);

        library.open();
        for (CompletableFuture<List<GameFile>> answer : held) {
            assertThat(answer.get(30, TimeUnit.SECONDS)).isNotEmpty();
        }
        assertThat(get(client.getGame(address, "quake"))).isNotEmpty();
        assertThat(client.connectionTo(address)).isSameAs(connection);
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void requestsThatTimedOutGiveTheirStreamsBack() throws Exception {
        client = client(Map.of("request.timeout.seconds", 1));
        library.close();
        List<CompletableFuture<List<GameFile>>> answers = new ArrayList<>();
        for (int i = 0; i < STREAMS + 10; i++) {
            answers.add(client.getGame(address, "quake").toCompletableFuture());
        }
        for (CompletableFuture<List<GameFile>> answer : answers) {
            failure(answer, Reason.TIMEOUT); // the server never answers, whether the request waited or not
        }
        PeerConnection connection = client.connectionTo(address);
        assertThat(waiting(connection)).isZero();

        // the abandoned streams give their credit back: the same connection serves again
        library.open();
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<List<GameFile>>> more = new ArrayList<>();
            for (int i = 0; i < 2 * STREAMS; i++) {
                more.add(client.getGame(address, "quake").toCompletableFuture());
            }
            for (CompletableFuture<List<GameFile>> answer : more) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isNotEmpty();
            }
        }
        assertThat(client.connectionTo(address)).isSameAs(connection);
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void aFullQueueFailsAtOnceAndPingsGoFirst() throws Exception {
        client = client(Map.of("request.timeout.seconds", 30, "max.waiting.requests", 5));
        library.close();
        List<CompletableFuture<List<GameFile>>> answers = new ArrayList<>();
        for (int i = 0; i < STREAMS + 5; i++) {
            answers.add(client.getGame(address, "quake").toCompletableFuture());
        }
        assertThat(Poll.until(() -> library.inFlight.get() == STREAMS, Duration.ofSeconds(10))).isTrue();
        PeerConnection connection = client.connectionTo(address);
        assertThat(Poll.until(() -> waiting(connection) == 5, Duration.ofSeconds(10))).isTrue();

        PeerRequestException full = failure(client.getGame(address, "quake"), Reason.UNREACHABLE);
        assertThat(full.getMessage()).contains("too many requests", "5 already wait");
        CompletableFuture<?> ping = client.ping(address).toCompletableFuture();
        assertThat(Poll.until(() -> waiting(connection) == 6, Duration.ofSeconds(10))).isTrue();

        library.open();
        ping.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<List<GameFile>> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS)).isNotEmpty();
        }
        assertThat(client.connectionTo(address)).isSameAs(connection);
    }

    @Test
    void waitingRequestsFailWhenTheConnectionClosesAndTheNextRequestReconnects() throws Exception {
        client = client(Map.of("request.timeout.seconds", 30));
        library.close();
        List<CompletableFuture<List<GameFile>>> answers = new ArrayList<>();
        for (int i = 0; i < STREAMS + 4; i++) {
            answers.add(client.getGame(address, "quake").toCompletableFuture());
        }
        assertThat(Poll.until(() -> library.inFlight.get() == STREAMS, Duration.ofSeconds(10))).isTrue();
        PeerConnection connection = client.connectionTo(address);
        assertThat(Poll.until(() -> waiting(connection) == 4, Duration.ofSeconds(10))).isTrue();

        client.disconnect(address);

        for (CompletableFuture<List<GameFile>> answer : answers) {
            failure(answer, Reason.UNREACHABLE);
        }
        library.open();
        assertThat(get(client.getGame(address, "quake"))).isNotEmpty();
        assertThat(client.connectionTo(address)).isNotSameAs(connection);
        assertThat(server.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void aFailedPingOfAnyKindDropsTheConnection() throws Exception {
        client = client(Map.of("request.timeout.seconds", 30, "max.waiting.requests", 1));
        library.close();
        List<CompletableFuture<List<GameFile>>> answers = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            answers.add(client.getGame(address, "quake").toCompletableFuture());
        }
        assertThat(Poll.until(() -> library.inFlight.get() == STREAMS, Duration.ofSeconds(10))).isTrue();
        PeerConnection connection = client.connectionTo(address);
        CompletableFuture<?> firstPing = client.ping(address).toCompletableFuture();
        assertThat(Poll.until(() -> waiting(connection) == 1, Duration.ofSeconds(10))).isTrue();

        // a second ping finds the control queue full: not a timeout, and still the connection is dropped
        failure(client.ping(address), Reason.UNREACHABLE);
        assertThat(client.connectionTo(address)).isNull();

        failure(firstPing, Reason.UNREACHABLE);
        library.open();
        assertThat(get(client.ping(address)).peerId()).hasSize(40);
        assertThat(client.connectionTo(address)).isNotNull().isNotSameAs(connection);
    }

    // ------------------------------------------------------------------ helpers

    /** Requests waiting for a stream on {@code connection}, read on its event loop. */
    private static int waiting(PeerConnection connection) {
        try {
            return connection.quic().eventLoop().submit(() -> connection.streams().waiting()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private IdentityComponent identity(String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", tmp.resolve(name).toString(), "name", name)));
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static PeerRequestException failure(CompletionStage<?> stage, Reason reason) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> get(stage)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PeerRequestException.class)
                .satisfies(e -> caught[0] = e)
                .satisfies(e -> assertThat(((PeerRequestException) e).reason()).as(e.getMessage()).isEqualTo(reason));
        return (PeerRequestException) caught[0];
    }

    /** A library whose {@code files} answers can be held back, counting how many wait at once. */
    private static final class GatedLibrary extends ForwardingLibrary {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        GatedLibrary(TestLibrary real) {
            super(real);
        }

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        @Override
        public List<GameFile> files(String gameId) throws IOException {
            calls.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return real.files(gameId);
        }







    }
}
