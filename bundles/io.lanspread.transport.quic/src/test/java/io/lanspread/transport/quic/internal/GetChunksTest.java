package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

import io.lanspread.api.game.GameManifest;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.api.transport.ReceivedChunk;
import io.lanspread.protocol.Protocol;

/** Protocol 3's several chunks per stream, over real QUIC on 127.0.0.1, and the fallback for older peers. */
class GetChunksTest {

    private static final int CHUNK = GameManifest.CHUNK_SIZE;

    @TempDir
    Path tmp;

    private QuicPeerServer server;
    private QuicPeerClient client;
    private QuicPeerClient v2Client;
    private InetSocketAddress address;
    private byte[] big;
    private byte[] small;

    @BeforeEach
    void start() throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        Path quake = Files.createDirectories(games.resolve("quake/id1"));
        Files.writeString(games.resolve("quake/version.ini"), "version=1\n");
        big = random(40 * CHUNK + 4321, 1);
        small = random(CHUNK / 3, 2);
        Files.write(quake.resolve("pak0.pak"), big);
        Files.write(quake.resolve("pak1.pak"), small);
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", 0, "send.budget.mib", 1)), new TestLibrary(games),
                identity("server"));
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
        IdentityComponent clientIdentity = identity("client");
        QuicPeerClient.Config config = Configs.of(QuicPeerClient.Config.class, Map.of("connect.timeout.seconds", 3));
        client = new QuicPeerClient(config, clientIdentity);
        v2Client = new QuicPeerClient(config, TlsContexts.client(clientIdentity, List.of(Protocol.ALPN_2)), "v2 peer");
    }

    @AfterEach
    void stop() {
        client.deactivate();
        v2Client.deactivate();
        server.deactivate();
    }

    @Test
    void manyChunksOfTwoFilesArriveInOrderOnFewStreams() throws Exception {
        List<ChunkRange> ranges = wholeFiles();
        assertThat(ranges).hasSizeGreaterThan(Protocol.MAX_CHUNKS_PER_REQUEST); // two streams
        List<CompletionStage<ReceivedChunk>> stages = client.getChunks(address, "quake", ranges);
        assertThat(stages).hasSize(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            ReceivedChunk chunk = get(stages.get(i));
            try {
                assertThat(chunk.range()).isEqualTo(ranges.get(i));
                assertThat(chunk.data().isDirect()).isTrue(); // no copy on the heap
                assertThat(chunk.data().isReadOnly()).isTrue();
                assertThat(bytes(chunk.data())).isEqualTo(expected(ranges.get(i)));
            } finally {
                chunk.release();
            }
        }
        assertThat(server.servedBytes()).isEqualTo(big.length + small.length);
        // the budget of 1 MiB was reused throughout and is whole again
        assertThat(Poll.until(() -> server.budget().available() == 1024 * 1024 && server.budget().waiting() == 0,
                Duration.ofSeconds(10))).as("the send budget is whole again").isTrue();
    }

    @Test
    void withOneReadAtATimeTheOthersWaitTheirTurnAndAllArrive() throws Exception {
        // budgets large enough that the reads, not the bytes, are what waits
        server.modified(Configs.of(QuicPeerServer.Config.class, Map.of("bind.address", "127.0.0.1", "port", 0,
                "send.budget.mib", 64, "connection.send.budget.mib", 64, "max.requests.per.peer", 1,
                "max.requests", 1)));
        assertThat(server.uplink()).isEqualTo(new io.lanspread.api.transport.UplinkStatus(1, 1, 0, 0));
        List<ChunkRange> ranges = wholeFiles();
        List<CompletionStage<ReceivedChunk>> stages = new ArrayList<>();
        for (ChunkRange range : ranges) { // one stream each, all at once
            stages.addAll(client.getChunks(address, "quake", List.of(range)));
        }
        for (int i = 0; i < ranges.size(); i++) {
            ReceivedChunk chunk = get(stages.get(i));
            try {
                assertThat(bytes(chunk.data())).isEqualTo(expected(ranges.get(i)));
            } finally {
                chunk.release();
            }
        }
        assertThat(Poll.until(() -> server.uplink().serving() == 0 && server.uplink().waiting() == 0,
                Duration.ofSeconds(10))).as("every place given back: %s", server.uplink()).isTrue();
        server.modified(Configs.of(QuicPeerServer.Config.class, Map.of("bind.address", "127.0.0.1", "port", 0,
                "send.budget.mib", 1)));
        assertThat(server.uplink().maxRequestsPerPeer()).as("the default again, live").isEqualTo(8);
    }

    @Test
    void aRefusedRangeFailsAloneAndTheStreamGoesOn() throws Exception {
        List<ChunkRange> ranges = List.of(new ChunkRange("id1/pak0.pak", 0, CHUNK),
                new ChunkRange("id1/pak0.pak", big.length - 10, 11), // beyond the end
                new ChunkRange("../secret", 0, 10), // outside the game
                new ChunkRange("id1/none.pak", 0, 10),
                new ChunkRange("id1/pak1.pak", 0, small.length));
        List<CompletionStage<ReceivedChunk>> stages = client.getChunks(address, "quake", ranges);
        ReceivedChunk first = get(stages.get(0));
        assertThat(bytes(first.data())).isEqualTo(expected(ranges.get(0)));
        first.release();
        assertThat(failure(stages.get(1)).reason()).isEqualTo(Reason.FILE_NOT_FOUND);
        assertThat(failure(stages.get(2)).reason()).isIn(Reason.INVALID_PATH, Reason.FILE_NOT_FOUND);
        assertThat(failure(stages.get(3)).reason()).isEqualTo(Reason.FILE_NOT_FOUND);
        ReceivedChunk last = get(stages.get(4));
        assertThat(bytes(last.data())).isEqualTo(small);
        last.release();
    }

    @Test
    void anUnknownGameFailsEveryRange() throws Exception {
        List<CompletionStage<ReceivedChunk>> stages = client.getChunks(address, "doom",
                List.of(new ChunkRange("a", 0, 1), new ChunkRange("b", 0, 1)));
        for (CompletionStage<ReceivedChunk> stage : stages) {
            assertThat(failure(stage).reason()).isEqualTo(Reason.GAME_NOT_FOUND);
        }
    }

    @Test
    void aProtocolTwoConnectionGetsOneRequestPerRange() throws Exception {
        List<ChunkRange> ranges = wholeFiles().subList(0, 5);
        List<CompletionStage<ReceivedChunk>> stages = v2Client.getChunks(address, "quake", ranges);
        for (int i = 0; i < ranges.size(); i++) {
            ReceivedChunk chunk = get(stages.get(i));
            assertThat(bytes(chunk.data())).isEqualTo(expected(ranges.get(i)));
            chunk.release();
        }
        assertThat(v2Client.connectionTo(address).protocolVersion()).isEqualTo(2);
    }

    @Test
    void manyConcurrentRequestsShareTheBudget() throws Exception {
        List<List<CompletionStage<ReceivedChunk>>> all = new ArrayList<>();
        List<ChunkRange> ranges = wholeFiles();
        for (int i = 0; i < 6; i++) {
            all.add(client.getChunks(address, "quake", ranges));
        }
        for (List<CompletionStage<ReceivedChunk>> stages : all) {
            for (int i = 0; i < ranges.size(); i++) {
                ReceivedChunk chunk = get(stages.get(i));
                assertThat(bytes(chunk.data())).isEqualTo(expected(ranges.get(i)));
                chunk.release();
            }
        }
        assertThat(Poll.until(() -> server.budget().available() == 1024 * 1024 && server.budget().waiting() == 0,
                Duration.ofSeconds(10))).as("the send budget is whole again").isTrue();
    }

    private List<ChunkRange> wholeFiles() {
        List<ChunkRange> ranges = new ArrayList<>();
        for (long at = 0; at < big.length; at += CHUNK) {
            ranges.add(new ChunkRange("id1/pak0.pak", at, (int) Math.min(CHUNK, big.length - at)));
        }
        ranges.add(new ChunkRange("id1/pak1.pak", 0, small.length));
        return ranges;
    }

    private byte[] expected(ChunkRange range) {
        byte[] file = range.path().equals("id1/pak0.pak") ? big : small;
        return Arrays.copyOfRange(file, (int) range.offset(), (int) range.offset() + range.length());
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] out = new byte[data.remaining()];
        data.get(out);
        return out;
    }

    private static ReceivedChunk get(CompletionStage<ReceivedChunk> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static PeerRequestException failure(CompletionStage<ReceivedChunk> stage) throws Exception {
        try {
            ReceivedChunk unexpected = get(stage);
            unexpected.release();
            throw new AssertionError("expected a failure, got " + unexpected.range());
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerRequestException.class);
            return (PeerRequestException) e.getCause();
        }
    }

    private IdentityComponent identity(String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", tmp.resolve(name + "-state").toString(), "name", name)));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
