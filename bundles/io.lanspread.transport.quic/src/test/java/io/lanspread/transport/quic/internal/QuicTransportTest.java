package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.Response;
import io.netty.util.concurrent.FastThreadLocalThread;

/** Real QUIC on 127.0.0.1 against real files. */
class QuicTransportTest {

    private static final int CHUNK = 512 * 1024;
    private static final int BIG = 3 * CHUNK + 12_345;

    @TempDir
    Path tmp;

    private Path games;
    private IdentityComponent identity;
    private QuicPeerServer server;
    private QuicPeerClient client;
    private InetSocketAddress address;
    private byte[] big;

    @BeforeEach
    void start() throws Exception {
        games = Files.createDirectories(tmp.resolve("games"));
        Path quake = Files.createDirectories(games.resolve("quake/id1/maps"));
        Files.writeString(games.resolve("quake/version.ini"), "version=1.09\n");
        big = randomBytes(BIG, 1);
        Files.write(quake.resolve("big.bin"), big);
        Files.write(games.resolve("quake/empty.txt"), new byte[0]);
        Files.createDirectories(games.resolve("doom"));
        Files.writeString(games.resolve("doom/version.ini"), "version=2\n");
        Files.createDirectories(games.resolve("halflife")); // being downloaded: no version.ini
        Files.writeString(games.resolve("halflife/hl.exe"), "partial");
        Files.writeString(tmp.resolve("secret.txt"), "outside the library");

        identity = identity(tmp.resolve("state"));
        server = server(identity, 0);
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
        client = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class,
                Map.of("request.timeout.seconds", 3, "connect.timeout.seconds", 2)), identity(tmp.resolve("client-state")));
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

    private static IdentityComponent identity(Path stateDir) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", stateDir.toString(), "name", "test peer")));
    }

    private QuicPeerServer server(TlsIdentity id, int port) {
        return new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", port)), new TestLibrary(games), id);
    }

    @Test
    void serverReportsTheRealPort() {
        assertThat(server.localAddress().getPort()).isPositive();
        assertThat(server.protocolVersion()).isEqualTo(Protocol.VERSION);
    }

    @Test
    void pingAnswersWithTheCertificatesPeerId() throws Exception {
        PeerHello hello = get(client.ping(address));
        assertThat(hello.peerId()).isEqualTo(identity.peerId()).hasSize(40);
        assertThat(hello.peerId()).isEqualTo(client.connectionTo(address).certificatePeerId());
        assertThat(hello.name()).isEqualTo("test peer");
        assertThat(hello.protocolVersion()).isEqualTo(Protocol.VERSION);
        assertThat(hello.libraryRevision()).isEqualTo(7);
    }

    @Test
    void pongClaimingAnotherPeerIdIsAProtocolError() throws Exception {
        server.deactivate();
        server = server(new ImpostorIdentity(identity), address.getPort());
        assertFails(client.ping(address), Reason.PROTOCOL);
        assertThat(client.connectionTo(address)).isNull(); // a failed ping of any kind drops the connection
    }

    @Test
    void listsOnlyCompleteGames() throws Exception {
        List<Game> list = get(client.listGames(address));
        assertThat(list).extracting(Game::id).containsExactly("doom", "quake");
        assertThat(list.get(1).version()).isEqualTo("1.09");
        assertThat(list.get(1).size()).isEqualTo(BIG + "version=1.09\n".length());
    }

    @Test
    void getGameListsTheFileTree() throws Exception {
        List<GameFile> files = get(client.getGame(address, "quake"));
        assertThat(files).contains(new GameFile("id1", 0, true), new GameFile("id1/maps/big.bin", BIG, false),
                new GameFile("empty.txt", 0, false));
    }

    @Test
    void unknownOrIncompleteGameIsNotFound() {
        assertFails(client.getGame(address, "nope"), Reason.GAME_NOT_FOUND);
        assertFails(client.getGame(address, "halflife"), Reason.GAME_NOT_FOUND);
        assertFails(client.getChunk(address, "halflife", "hl.exe", 0, 3), Reason.GAME_NOT_FOUND);
        assertFails(client.getFile(address, "nope", "x", tmp.resolve("x")), Reason.GAME_NOT_FOUND);
    }

    @Test
    void chunksCarryTheirBytesAndOverProtocolOneTheirHash() throws Exception {
        QuicPeerClient old = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class, Map.of()),
                TlsContexts.client(identity, List.of(Protocol.ALPN_1)), "old peer");
        try {
            for (long offset : new long[] {0, CHUNK, 3L * CHUNK}) {
                int length = (int) Math.min(CHUNK, BIG - offset);
                ChunkData chunk = get(old.getChunk(address, "quake", "id1/maps/big.bin", offset, length));
                assertThat(bytes(chunk.data())).isEqualTo(Arrays.copyOfRange(big, (int) offset, (int) offset + length));
                assertThat(chunk.sha256()).isEqualTo(sha256(bytes(chunk.data())));
            }
        } finally {
            old.deactivate();
        }
        for (long offset : new long[] {0, CHUNK, 3L * CHUNK}) {
            int length = (int) Math.min(CHUNK, BIG - offset);
            ChunkData chunk = get(client.getChunk(address, "quake", "id1/maps/big.bin", offset, length));
            byte[] expected = Arrays.copyOfRange(big, (int) offset, (int) offset + length);
            assertThat(chunk.offset()).isEqualTo(offset);
            assertThat(chunk.path()).isEqualTo("id1/maps/big.bin");
            assertThat(chunk.data().position()).isZero();
            assertThat(chunk.data().isReadOnly()).isTrue();
            assertThat(bytes(chunk.data())).isEqualTo(expected);
            assertThat(chunk.sha256()).isNull(); // protocol 2: verified against a manifest by the receiver
        }
        assertThat(3L * CHUNK + 12_345).isEqualTo(BIG); // the last chunk above was a short one
    }

    @Test
    void rangeOutsideTheFileIsFileNotFound() {
        assertFails(client.getChunk(address, "quake", "id1/maps/big.bin", BIG - 10, 11), Reason.FILE_NOT_FOUND);
        assertFails(client.getChunk(address, "quake", "id1/maps/big.bin", BIG + 1, 0), Reason.FILE_NOT_FOUND);
    }

    @Test
    void missingFilesAndDirectoriesAreNotFound() {
        assertFails(client.getChunk(address, "quake", "nope.bin", 0, 1), Reason.FILE_NOT_FOUND);
        assertFails(client.getChunk(address, "quake", "id1", 0, 1), Reason.FILE_NOT_FOUND);
        assertFails(client.getFile(address, "quake", "id1/maps", tmp.resolve("dir")), Reason.FILE_NOT_FOUND);
        assertThat(tmp.resolve("dir")).doesNotExist();
    }

    @Test
    void escapingPathsAreRefused() throws Exception {
        assertFails(client.getChunk(address, "quake", "../x", 0, 1), Reason.INVALID_PATH);
        assertFails(client.getChunk(address, "quake", "../../secret.txt", 0, 1), Reason.INVALID_PATH);
        assertFails(client.getChunk(address, "quake", "/etc/passwd", 0, 1), Reason.INVALID_PATH);
        assertFails(client.getFile(address, "quake", tmp.resolve("secret.txt").toString(), tmp.resolve("s")),
                Reason.INVALID_PATH);
        Files.createSymbolicLink(games.resolve("quake/link.txt"), tmp.resolve("secret.txt"));
        assertFails(client.getFile(address, "quake", "link.txt", tmp.resolve("s")), Reason.INVALID_PATH);
        assertThat(tmp.resolve("s")).doesNotExist();
    }

    @Test
    void wholeFileArrivesByteForByte() throws Exception {
        byte[] data = randomBytes(9 * 1024 * 1024 + 7, 2);
        Files.write(games.resolve("doom/doom.wad"), data);
        Path target = tmp.resolve("doom.wad");
        assertThat(get(client.getFile(address, "doom", "doom.wad", target))).isEqualTo(data.length);
        assertThat(Files.mismatch(target, games.resolve("doom/doom.wad"))).isEqualTo(-1L);
    }

    @Test
    void largeFileBeyondEveryFlowControlWindowArrivesIntact() throws Exception {
        Path source = games.resolve("doom/large.bin");
        try (var out = Files.newOutputStream(source)) {
            Random random = new Random(4);
            byte[] block = new byte[1024 * 1024];
            for (int i = 0; i < 96; i++) {
                random.nextBytes(block);
                out.write(block);
            }
            out.write(block, 0, 333);
        }
        Path target = tmp.resolve("large.bin");
        assertThat(get(client.getFile(address, "doom", "large.bin", target))).isEqualTo(Files.size(source));
        assertThat(Files.mismatch(target, source)).isEqualTo(-1L);
    }

    @Test
    void emptyFileArrives() throws Exception {
        Path target = tmp.resolve("empty.txt");
        Files.writeString(target, "old content is replaced");
        assertThat(get(client.getFile(address, "quake", "empty.txt", target))).isZero();
        assertThat(target).isEmptyFile();
    }

    @Test
    void malformedFramesGetBadRequestAndTheConnectionKeepsWorking() throws Exception {
        get(client.ping(address));
        PeerConnection connection = client.connectionTo(address);

        byte[] json = "{\"type\":\"getGameFileChunk\",\"gameId\":\"quake\"}".getBytes(StandardCharsets.UTF_8);
        byte[] missingFields = ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
        byte[] tooLong = ByteBuffer.allocate(8).putInt(Protocol.MAX_REQUEST_FRAME + 1).putInt(0).array();
        byte[] truncated = ByteBuffer.allocate(6).putInt(100).put((byte) '{').put((byte) '"').array();
        byte[] notJson = ByteBuffer.allocate(7).putInt(3).put("abc".getBytes(StandardCharsets.US_ASCII)).array();
        for (byte[] raw : List.of(missingFields, tooLong, truncated, notJson)) {
            Response.Error error = get(client.exchange(address, raw, Duration.ofSeconds(5), false, true,
                    (completion, c) -> new ControlResponseHandler<>(completion, new MessageCodec(), Response.Error.class,
                            e -> e)));
            assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }

        assertThat(get(client.listGames(address))).hasSize(2);
        assertThat(client.connectionTo(address)).isSameAs(connection);
    }

    @Test
    void disconnectForgetsTheConnectionAndTheNextRequestMakesANewOne() throws Exception {
        get(client.ping(address));
        PeerConnection first = client.connectionTo(address);
        assertThat(first).isNotNull();

        client.disconnect(address);

        assertThat(client.connectionTo(address)).isNull();
        assertThat(get(client.listGames(address))).hasSize(2);
        assertThat(client.connectionTo(address)).isNotNull().isNotSameAs(first);
    }

    @Test
    void manyConcurrentChunksOnOneConnection() throws Exception {
        byte[] data = randomBytes(32 * 64 * 1024, 3);
        Files.write(games.resolve("doom/many.bin"), data);
        get(client.ping(address));
        PeerConnection connection = client.connectionTo(address);
        List<CompletableFuture<ChunkData>> chunks = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            chunks.add(client.getChunk(address, "doom", "many.bin", i * 65536L, 65536).toCompletableFuture());
        }
        for (int i = 0; i < 32; i++) {
            ChunkData chunk = chunks.get(i).get(30, TimeUnit.SECONDS);
            byte[] expected = Arrays.copyOfRange(data, i * 65536, (i + 1) * 65536);
            assertThat(bytes(chunk.data())).isEqualTo(expected);
            assertThat(chunk.sha256()).isNull();
        }
        assertThat(client.connectionTo(address)).isSameAs(connection);
    }

    @Test
    void callbacksRunOffTheEventLoop() throws Exception {
        Thread thread = get(client.ping(address).thenApply(h -> Thread.currentThread()));
        assertThat(thread.getName()).startsWith("lanspread-quic-callback-");
        assertThat(thread).isNotInstanceOf(FastThreadLocalThread.class); // what Netty's event loops run on
    }

    @Test
    void oversizedRequestIsRefusedLocally() {
        assertFails(client.getGame(address, "x".repeat(Protocol.MAX_REQUEST_FRAME)), Reason.BAD_REQUEST);
        assertFails(client.getChunk(address, "quake", "id1/maps/big.bin", 0, Protocol.MAX_CHUNK_LENGTH + 1),
                Reason.BAD_REQUEST);
    }

    @Test
    void unreachablePeer() throws Exception {
        server.deactivate();
        server = null;
        assertFails(client.ping(address), Reason.UNREACHABLE);
    }

    @Test
    void reconnectsAfterThePeerRestarted() throws Exception {
        get(client.ping(address));
        server.deactivate();
        server = server(identity, address.getPort());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        PeerHello hello = null;
        while (hello == null && System.nanoTime() < deadline) {
            try {
                hello = get(client.ping(address));
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(PeerRequestException.class);
            }
        }
        assertThat(hello).isNotNull();
        assertThat(hello.peerId()).isEqualTo(identity.peerId());
    }

    @Test
    void stoppingTheServerClosesClientConnectionsAtOnce() throws Exception {
        get(client.ping(address));
        PeerConnection connection = client.connectionTo(address);
        assertThat(connection.isActive()).isTrue();
        server.deactivate();
        server = null;
        // far below the 30 s idle timeout: the client learnt of the close from the server's CONNECTION_CLOSE
        assertThat(Poll.until(() -> !connection.isActive(), Duration.ofSeconds(5))).isTrue();
        // the close listener forgets it right after
        assertThat(Poll.until(() -> client.connectionTo(address) == null, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void stoppingTheClientClosesItsConnectionsAtTheServer() throws Exception {
        get(client.ping(address));
        assertThat(server.connectionCount()).isEqualTo(1);
        client.deactivate();
        client = null;
        assertThat(Poll.until(() -> server.connectionCount() == 0, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void identitySurvivesARestartAndDiffersBetweenStateDirs() throws Exception {
        IdentityComponent again = identity(tmp.resolve("state"));
        assertThat(again.peerId()).isEqualTo(identity.peerId());
        assertThat(again.certificateFingerprint()).isEqualTo(identity.certificateFingerprint()).hasSize(64)
                .startsWith(identity.peerId());
        assertThat(again.certificate()).isEqualTo(identity.certificate());

        IdentityComponent other = identity(tmp.resolve("other-state"));
        assertThat(other.peerId()).isNotEqualTo(identity.peerId());

        Path key = tmp.resolve("state/identity/key.pem");
        assertThat(Files.getPosixFilePermissions(key)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void nameDefaultsToTheHostName() throws Exception {
        IdentityComponent unnamed = new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", tmp.resolve("state").toString())));
        assertThat(unnamed.name()).isNotBlank();
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void assertFails(CompletionStage<?> stage, Reason reason) {
        assertThatThrownBy(() -> get(stage)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PeerRequestException.class)
                .satisfies(e -> assertThat(((PeerRequestException) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Presents the real certificate but claims another peer id. */
    private record ImpostorIdentity(TlsIdentity real) implements TlsIdentity {
        @Override
        public String peerId() {
            return "0".repeat(40);
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public String certificateFingerprint() {
            return real.certificateFingerprint();
        }

        @Override
        public PrivateKey privateKey() {
            return real.privateKey();
        }

        @Override
        public X509Certificate certificate() {
            return real.certificate();
        }
    }
}
