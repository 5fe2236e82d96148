package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.GameManifest;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.ReceivedChunk;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Request;

/**
 * Clients that ask for chunks on many streams and never read them hold at most their connection's share of
 * the server's send budget; an honest client is served meanwhile, and the budget comes back when they leave.
 * Real QUIC on loopback; the hostile clients grant tiny flow-control windows, so the server's writes stall.
 */
class NeverReadingClientTest {

    private static final int MIB = 1024 * 1024;
    private static final int CHUNK = GameManifest.CHUNK_SIZE;
    private static final int CHUNKS = 16;

    @TempDir
    Path tmp;

    private QuicPeerServer server;
    private QuicPeerClient honest;
    private final List<RawQuicClient> hostile = new ArrayList<>();

    @AfterEach
    void stop() {
        hostile.forEach(RawQuicClient::close);
        if (honest != null) {
            honest.deactivate();
        }
        if (server != null) {
            server.deactivate();
        }
    }

    @Test
    void neverReadingConnectionsHoldOnlyTheirShareAndAnHonestDownloadGoesOn() throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        Files.createDirectories(games.resolve("quake"));
        Files.writeString(games.resolve("quake/version.ini"), "version=1\n");
        byte[] pak = new byte[CHUNKS * CHUNK];
        new Random(7).nextBytes(pak);
        Files.write(games.resolve("quake/pak0.pak"), pak);
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class, Map.of("bind.address", "127.0.0.1",
                "port", 0, "send.budget.mib", 4, "connection.send.budget.mib", 1)), new TestLibrary(games),
                identity("server"));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());

        List<Request.GetChunks.Range> ranges = new ArrayList<>();
        List<ChunkRange> chunkRanges = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            ranges.add(new Request.GetChunks.Range("pak0.pak", (long) i * CHUNK, CHUNK));
            chunkRanges.add(new ChunkRange("pak0.pak", (long) i * CHUNK, CHUNK));
        }
        byte[] frame = new MessageCodec().encode(new Request.GetChunks("quake", ranges));
        IdentityComponent hostileIdentity = identity("hostile");
        for (int c = 0; c < 3; c++) {
            RawQuicClient client = new RawQuicClient(address, InetAddress.getByName("127.0.0.2"), hostileIdentity,
                    256 * 1024, 64 * 1024);
            hostile.add(client);
            for (int s = 0; s < 8; s++) {
                client.send(frame, false);
            }
        }
        // each of the three holds exactly its 1 MiB share, however many streams it asked on
        assertThat(Poll.until(() -> server.budget().available() == MIB, Duration.ofSeconds(20)))
                .as("budget left: %d", server.budget().available()).isTrue();

        honest = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class, Map.of("chunk.timeout.seconds", 10)),
                identity("honest"));
        for (int round = 0; round < 2; round++) {
            List<CompletionStage<ReceivedChunk>> answers = honest.getChunks(address, "quake", chunkRanges);
            for (int i = 0; i < CHUNKS; i++) {
                ReceivedChunk chunk = answers.get(i).toCompletableFuture().get(20, TimeUnit.SECONDS);
                try {
                    ByteBuffer data = chunk.data();
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    assertThat(bytes).isEqualTo(Arrays.copyOfRange(pak, i * CHUNK, (i + 1) * CHUNK));
                } finally {
                    chunk.release();
                }
            }
        }
        assertThat(server.budget().available()).isLessThanOrEqualTo(MIB); // the hostile ones still hold theirs

        hostile.forEach(RawQuicClient::close);
        hostile.clear();
        assertThat(Poll.until(() -> server.budget().available() == 4 * MIB, Duration.ofSeconds(20)))
                .as("budget back after the hostile clients left: %d", server.budget().available()).isTrue();
    }

    private IdentityComponent identity(String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", tmp.resolve(name + "-state").toString(), "name", name)));
    }
}
