package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.Response;

/** Protocol 2 over real QUIC on 127.0.0.1, next to a client that offers only lanspread/1. */
class ProtocolTwoTest {

    private static final int CHUNK = GameManifest.CHUNK_SIZE;
    private static final int BIG = 3 * CHUNK + 12_345;
    private static final String BIG_PATH = "id1/big.bin";

    @TempDir
    Path tmp;

    private Path games;
    private TestLibrary hashed;
    private ScriptedLibrary library;
    private QuicPeerServer server;
    private QuicPeerClient client;
    private QuicPeerClient oldClient;
    private InetSocketAddress address;
    private byte[] big;

    @BeforeEach
    void start() throws Exception {
        games = Files.createDirectories(tmp.resolve("games"));
        Files.createDirectories(games.resolve("quake/id1/maps")); // an empty directory is part of the manifest
        Files.writeString(games.resolve("quake/version.ini"), "version=1.09\n");
        big = randomBytes(BIG, 1);
        Files.write(games.resolve("quake").resolve(BIG_PATH), big);
        Files.write(games.resolve("quake/empty.txt"), new byte[0]);

        hashed = new TestLibrary(games);
        library = new ScriptedLibrary(hashed);
        IdentityComponent serverIdentity = identity(tmp.resolve("server-state"));
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", 0)), library, serverIdentity);
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
        IdentityComponent clientIdentity = identity(tmp.resolve("client-state"));
        QuicPeerClient.Config config = Configs.of(QuicPeerClient.Config.class,
                Map.of("request.timeout.seconds", 10, "connect.timeout.seconds", 3));
        client = new QuicPeerClient(config, clientIdentity);
        oldClient = new QuicPeerClient(config, TlsContexts.client(clientIdentity, List.of(Protocol.ALPN_1)), "old peer");
    }

    @AfterEach
    void stop() {
        client.deactivate();
        oldClient.deactivate();
        server.deactivate();
    }

    @Test
    void bothSidesNegotiateTheNewestProtocolTheyShare() throws Exception {
        PeerHello hello = get(client.ping(address));
        PeerHello oldHello = get(oldClient.ping(address));

        assertThat(client.connectionTo(address).protocolVersion()).isEqualTo(4);
        assertThat(oldClient.connectionTo(address).protocolVersion()).isEqualTo(1);
        // a pong reports the newest version the server speaks, whatever the connection negotiated
        assertThat(hello.protocolVersion()).isEqualTo(4);
        assertThat(oldHello.protocolVersion()).isEqualTo(4);
        assertThat(server.protocolVersion()).isEqualTo(4);
    }

    @Test
    void manifestArrivesAsTheServerHashedIt() throws Exception {
        GameManifest manifest = get(client.manifest(address, "quake"));

        assertThat(manifest).isEqualTo(hashed.manifest("quake").orElseThrow());
        assertThat(manifest.version()).isEqualTo("1.09");
        assertThat(manifest.chunkSize()).isEqualTo(CHUNK);
        assertThat(manifest.files()).extracting(FileManifest::path)
                .containsExactlyInAnyOrder("empty.txt", "id1", "id1/big.bin", "id1/maps", "version.ini");
        FileManifest file = manifest.file(BIG_PATH).orElseThrow();
        assertThat(file.size()).isEqualTo(BIG);
        assertThat(file.chunkCount()).isEqualTo(4);
        assertThat(file.sha256()).isEqualTo(sha256(big));
        assertThat(file.chunkHash(3)).isEqualTo(sha256(Arrays.copyOfRange(big, 3 * CHUNK, BIG)));
        assertThat(manifest.file("id1/maps").orElseThrow().directory()).isTrue();
        assertThat(manifest.file("empty.txt").orElseThrow().chunkCount()).isZero();
    }

    @Test
    void aTwoHundredGibManifestArrivesWhole() throws Exception {
        long size = 200L * 1024 * 1024 * 1024;
        int chunks = (int) (size / CHUNK);
        byte[] hashes = randomBytes(chunks * 32, 7);
        GameManifest huge = new GameManifest("huge", "3", CHUNK, List.of(FileManifest.directory("data"),
                new FileManifest("data/huge.pak", size, false, randomBytes(32, 8), hashes),
                new FileManifest("data/small.bin", 10, false, randomBytes(32, 9), randomBytes(32, 10))));
        library.manifest = huge;

        GameManifest received = get(client.manifest(address, "huge"));

        assertThat(received.totalChunks()).isEqualTo(chunks + 1);
        assertThat(received.file("data/huge.pak").orElseThrow().chunkHashes()).isEqualTo(hashes);
        assertThat(received).isEqualTo(huge);
    }

    @Test
    void manifestOfAGameTheServerDoesNotListIsGameNotFound() {
        assertFails(client.manifest(address, "doom"), Reason.GAME_NOT_FOUND);
    }

    @Test
    void protocolTwoChunkHasTheRightBytesAndNoHashOfTheSender() throws Exception {
        GameManifest manifest = get(client.manifest(address, "quake"));
        FileManifest file = manifest.file(BIG_PATH).orElseThrow();
        for (int index = 0; index < file.chunkCount(); index++) {
            long offset = (long) index * CHUNK;
            int length = (int) Math.min(CHUNK, BIG - offset);
            ChunkData chunk = get(client.getChunk(address, "quake", BIG_PATH, offset, length));
            byte[] bytes = bytes(chunk.data());
            assertThat(chunk.sha256()).isNull();
            assertThat(bytes).isEqualTo(Arrays.copyOfRange(big, (int) offset, (int) offset + length));
            assertThat(file.chunkHashEquals(index, sha256(bytes))).isTrue(); // what a receiver checks
        }
        // before and after each read
        assertThat(library.unchangedCalls.get()).isEqualTo(2 * file.chunkCount());
    }

    @Test
    void aFileModifiedAfterHashingIsRefusedWithFileChanged() throws Exception {
        get(client.manifest(address, "quake"));
        Path file = games.resolve("quake").resolve(BIG_PATH);
        byte[] other = big.clone();
        other[5] ^= 1;
        Files.write(file, other); // same size, other bytes
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));

        PeerRequestException e = failure(client.getChunk(address, "quake", BIG_PATH, 0, CHUNK));
        assertThat(e.reason()).isEqualTo(Reason.FILE_CHANGED);
        assertThat(e.getMessage()).contains(BIG_PATH);

        // hashed again, the same file is served
        hashed.forget("quake");
        assertThat(bytes(get(client.getChunk(address, "quake", BIG_PATH, 0, CHUNK)).data()))
                .isEqualTo(Arrays.copyOf(other, CHUNK));
    }

    @Test
    void aFileOfAnotherSizeOrMissingFromTheManifestIsRefusedWithFileChanged() throws Exception {
        get(client.manifest(address, "quake"));
        Files.write(games.resolve("quake").resolve(BIG_PATH), Arrays.copyOf(big, BIG + 1));
        Files.writeString(games.resolve("quake/new.txt"), "added after hashing");

        assertFails(client.getChunk(address, "quake", BIG_PATH, 0, CHUNK), Reason.FILE_CHANGED);
        assertFails(client.getChunk(address, "quake", "new.txt", 0, 3), Reason.FILE_CHANGED);
        // the usual refusals still come first
        assertFails(client.getChunk(address, "quake", "nope.bin", 0, 1), Reason.FILE_NOT_FOUND);
        assertFails(client.getChunk(address, "quake", "../x", 0, 1), Reason.INVALID_PATH);
        assertFails(client.getChunk(address, "doom", "x", 0, 1), Reason.GAME_NOT_FOUND);
    }

    @Test
    void aFileThatChangesDuringTheReadIsRefusedWithFileChanged() throws Exception {
        get(client.manifest(address, "quake"));
        library.unchangedAnswers.add(true); // before the read
        library.unchangedAnswers.add(false); // after it

        assertFails(client.getChunk(address, "quake", BIG_PATH, 0, CHUNK), Reason.FILE_CHANGED);
        assertThat(library.unchangedCalls.get()).isEqualTo(2);
    }

    @Test
    void aRangeOutsideTheFileIsStillFileNotFound() throws Exception {
        get(client.manifest(address, "quake"));
        assertFails(client.getChunk(address, "quake", BIG_PATH, BIG - 10, 11), Reason.FILE_NOT_FOUND);
    }

    @Test
    void aProtocolOneClientPingsListsAndFetchesHashedChunks() throws Exception {
        assertThat(get(oldClient.ping(address)).peerId()).isEqualTo(oldClient.connectionTo(address).certificatePeerId());
        assertThat(get(oldClient.listGames(address))).extracting(Game::id).containsExactly("quake");

        ChunkData chunk = get(oldClient.getChunk(address, "quake", BIG_PATH, CHUNK, CHUNK));
        byte[] expected = Arrays.copyOfRange(big, CHUNK, 2 * CHUNK);
        assertThat(bytes(chunk.data())).isEqualTo(expected);
        assertThat(chunk.sha256()).isEqualTo(HexFormat.of().formatHex(sha256(expected)));
        assertThat(library.unchangedCalls.get()).isZero(); // protocol 1 hashes instead of asking the manifest

        Path target = tmp.resolve("big.copy");
        assertThat(get(oldClient.getFile(address, "quake", BIG_PATH, target))).isEqualTo(BIG);
        assertThat(Files.readAllBytes(target)).isEqualTo(big);
    }

    @Test
    void aProtocolOneConnectionHasNoManifest() throws Exception {
        get(oldClient.ping(address));
        PeerRequestException e = failure(oldClient.manifest(address, "quake"));
        assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
        assertThat(e.getMessage()).isEqualTo("peer at " + address + " speaks only lanspread protocol 1");
        assertThat(oldClient.connectionTo(address).isActive()).isTrue(); // the connection stays usable

        // and a protocol 1 server refuses the request if it is sent anyway
        byte[] json = "{\"type\":\"getManifest\",\"gameId\":\"quake\"}".getBytes(StandardCharsets.UTF_8);
        byte[] raw = ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
        Response.Error error = get(oldClient.exchange(address, raw, Duration.ofSeconds(5), false, true,
                (completion, c) -> new ControlResponseHandler<>(completion, new MessageCodec(), Response.Error.class,
                        r -> r)));
        assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(error.message()).contains("protocol 1");
        assertThat(get(oldClient.listGames(address))).hasSize(1);
    }

    @Test
    void servedBytesCountsFileBodiesOnly() throws Exception {
        assertThat(server.servedBytes()).isZero();
        get(client.manifest(address, "quake"));
        get(client.ping(address));
        assertThat(server.servedBytes()).isZero();

        get(client.getChunk(address, "quake", BIG_PATH, 0, CHUNK));
        assertThat(Poll.until(() -> server.servedBytes() == CHUNK, Duration.ofSeconds(5))).isTrue();

        get(oldClient.getChunk(address, "quake", BIG_PATH, 3L * CHUNK, 12_345));
        assertThat(Poll.until(() -> server.servedBytes() == CHUNK + 12_345, Duration.ofSeconds(5))).isTrue();

        get(client.getFile(address, "quake", BIG_PATH, tmp.resolve("whole.bin")));
        long expected = CHUNK + 12_345 + BIG;
        assertThat(Poll.until(() -> server.servedBytes() == expected, Duration.ofSeconds(5))).isTrue();

        library.unchangedAnswers.add(false);
        assertFails(client.getChunk(address, "quake", BIG_PATH, 0, CHUNK), Reason.FILE_CHANGED);
        assertThat(server.servedBytes()).isEqualTo(expected);
    }

    @Test
    void manyProtocolTwoChunksInFlightOnOneConnection() throws Exception {
        byte[] data = randomBytes(24 * CHUNK, 3);
        Files.write(games.resolve("quake/many.bin"), data);
        hashed.forget("quake");
        get(client.ping(address));
        PeerConnection connection = client.connectionTo(address);
        List<CompletionStage<ChunkData>> chunks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            chunks.add(client.getChunk(address, "quake", "many.bin", (long) i * CHUNK, CHUNK));
        }
        for (int i = 0; i < 24; i++) {
            assertThat(bytes(get(chunks.get(i)).data())).isEqualTo(Arrays.copyOfRange(data, i * CHUNK, (i + 1) * CHUNK));
        }
        assertThat(client.connectionTo(address)).isSameAs(connection);
    }

    // ------------------------------------------------------------------ helpers

    private static IdentityComponent identity(Path stateDir) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", stateDir.toString(), "name", "peer")));
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

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
