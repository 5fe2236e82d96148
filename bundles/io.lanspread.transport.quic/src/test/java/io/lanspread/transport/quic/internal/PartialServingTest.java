package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.PartialCopies;
import io.lanspread.api.game.PartialCopy;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.HaveMap;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.api.transport.ReceivedChunk;
import io.lanspread.protocol.Protocol;

/**
 * Protocol 4 over real QUIC on 127.0.0.1: have-maps and versioned chunk requests answered from a partial copy
 * (a game this peer is still downloading) next to the library's complete games, and older clients.
 */
class PartialServingTest {

    private static final int CHUNK = GameManifest.CHUNK_SIZE;

    @TempDir
    Path tmp;

    private QuicPeerServer server;
    private QuicPeerClient client;
    private QuicPeerClient v3Client;
    private InetSocketAddress address;
    private TestLibrary library;
    private final byte[] doom = random(3 * CHUNK + 100, 3);
    private final FakeCopy copy = new FakeCopy();

    @BeforeEach
    void start() throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        Files.createDirectories(games.resolve("quake"));
        Files.writeString(games.resolve("quake/version.ini"), "version=1\n");
        Files.write(games.resolve("quake/pak0.pak"), random(CHUNK + 7, 1));
        library = new TestLibrary(games);
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", 0)), library, identity("server"));
        server.setPartialCopies(copy);
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
        IdentityComponent clientIdentity = identity("client");
        QuicPeerClient.Config config = Configs.of(QuicPeerClient.Config.class, Map.of("connect.timeout.seconds", 3));
        client = new QuicPeerClient(config, clientIdentity);
        v3Client = new QuicPeerClient(config, TlsContexts.client(clientIdentity, List.of(Protocol.ALPN_3)), "v3 peer");
        copy.held.set(0);
        copy.held.set(2);
    }

    @AfterEach
    void stop() {
        client.deactivate();
        v3Client.deactivate();
        server.deactivate();
    }

    @Test
    void aHaveMapComesWithItsRevisionAndOnlyWhenItChanged() throws Exception {
        HaveMap first = client.have(address, "doom", "2", copy.manifest.contentHash(), 0).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(first.complete()).isFalse();
        assertThat(first.chunks()).isEqualTo(4);
        assertThat(first.revision()).isEqualTo(2);
        assertThat(first.held()).isEqualTo(copy.held);

        HaveMap again = client.have(address, "doom", "2", copy.manifest.contentHash(), first.revision())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(again.unchanged()).isTrue();

        copy.held.set(3);
        HaveMap grown = client.have(address, "doom", "2", copy.manifest.contentHash(), first.revision())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(grown.revision()).isEqualTo(3);
        assertThat(grown.held().get(3)).isTrue();
    }

    @Test
    void anotherContentOrVersionIsNotFound() throws Exception {
        byte[] other = copy.manifest.contentHash().clone();
        other[0] ^= 1;
        assertThat(haveFailure(client.have(address, "doom", "2", other, 0))).isEqualTo(Reason.GAME_NOT_FOUND);
        assertThat(haveFailure(client.have(address, "doom", "3", copy.manifest.contentHash(), 0)))
                .isEqualTo(Reason.GAME_NOT_FOUND);
    }

    @Test
    void aGameTheLibraryListsIsComplete() throws Exception {
        GameManifest quake = library.manifest("quake").orElseThrow();
        HaveMap have = client.have(address, "quake", "1", quake.contentHash(), 0).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(have.complete()).isTrue();
        assertThat(have.chunks()).isEqualTo(quake.totalChunks());
        assertThat(have.held()).isNull();
    }

    @Test
    void heldChunksAreServedAndOthersRefusedOneByOne() throws Exception {
        List<ChunkRange> ranges = List.of(range(0), range(1), range(2));
        List<CompletionStage<ReceivedChunk>> stages = client.getChunks(address, "doom", "2", ranges);
        assertThat(bytes(stages.get(0))).isEqualTo(Arrays.copyOfRange(doom, 0, CHUNK));
        assertThat(chunkFailure(stages.get(1))).isEqualTo(Reason.CHUNK_NOT_HELD);
        assertThat(bytes(stages.get(2))).isEqualTo(Arrays.copyOfRange(doom, 2 * CHUNK, 3 * CHUNK));
        assertThat(copy.reads.get()).isEqualTo(3);
        assertThat(server.servedBytes()).isEqualTo(2L * CHUNK);
    }

    @Test
    void withoutAVersionOrWithoutTheServiceOnlyTheLibraryServes() throws Exception {
        assertThat(chunkFailure(client.getChunks(address, "doom", List.of(range(0))).get(0)))
                .isEqualTo(Reason.GAME_NOT_FOUND);
        server.unsetPartialCopies(copy);
        assertThat(chunkFailure(client.getChunks(address, "doom", "2", List.of(range(0))).get(0)))
                .isEqualTo(Reason.GAME_NOT_FOUND);
        assertThat(copy.reads.get()).isZero();
    }

    @Test
    void anOlderConnectionHasNoHaveMapsAndNoPartialCopies() throws Exception {
        assertThat(haveFailure(v3Client.have(address, "doom", "2", copy.manifest.contentHash(), 0)))
                .isEqualTo(Reason.PROTOCOL);
        // the version is not sent on protocol 3: the library answers, and it has no such game
        assertThat(chunkFailure(v3Client.getChunks(address, "doom", "2", List.of(range(0))).get(0)))
                .isEqualTo(Reason.GAME_NOT_FOUND);
        assertThat(v3Client.connectionTo(address).protocolVersion()).isEqualTo(3);
    }

    private ChunkRange range(int index) {
        long offset = (long) index * CHUNK;
        return new ChunkRange("doom.wad", offset, (int) Math.min(CHUNK, doom.length - offset));
    }

    /** A partial copy of doom 2 in memory, holding the chunks in {@link #held}. */
    private final class FakeCopy implements PartialCopies, PartialCopy {
        final BitSet held = new BitSet();
        final AtomicInteger reads = new AtomicInteger();
        final GameManifest manifest = manifestOf(doom);

        @Override
        public Optional<PartialCopy> copy(String gameId, String version) {
            return gameId.equals("doom") && version.equals("2") ? Optional.of(this) : Optional.empty();
        }

        @Override
        public GameManifest manifest() {
            return manifest;
        }

        @Override
        public byte[] contentHash() {
            return manifest.contentHash();
        }

        @Override
        public long revision() {
            return held.cardinality();
        }

        @Override
        public BitSet held() {
            return (BitSet) held.clone();
        }

        @Override
        public boolean read(String path, long offset, int length, ByteBuffer target) throws IOException {
            reads.incrementAndGet();
            int index = (int) (offset / CHUNK);
            if (!path.equals("doom.wad") || offset % CHUNK != 0 || !held.get(index)) {
                return false;
            }
            target.put(doom, (int) offset, length);
            return true;
        }
    }

    private static GameManifest manifestOf(byte[] data) {
        try {
            MessageDigest whole = MessageDigest.getInstance("SHA-256");
            ByteBuffer hashes = ByteBuffer.allocate(((data.length + CHUNK - 1) / CHUNK) * 32);
            for (int at = 0; at < data.length; at += CHUNK) {
                int n = Math.min(CHUNK, data.length - at);
                hashes.put(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(data, at, at + n)));
            }
            return new GameManifest("doom", "2", CHUNK, List.of(new FileManifest("doom.wad", data.length, false,
                    whole.digest(data), hashes.array())));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(CompletionStage<ReceivedChunk> stage) throws Exception {
        ReceivedChunk chunk = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            ByteBuffer data = chunk.data();
            byte[] out = new byte[data.remaining()];
            data.get(out);
            return out;
        } finally {
            chunk.release();
        }
    }

    private static Reason chunkFailure(CompletionStage<ReceivedChunk> stage) throws Exception {
        try {
            ReceivedChunk unexpected = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
            unexpected.release();
            throw new AssertionError("expected a failure, got " + unexpected.range());
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerRequestException.class);
            return ((PeerRequestException) e.getCause()).reason();
        }
    }

    private static Reason haveFailure(CompletionStage<HaveMap> stage) throws Exception {
        try {
            HaveMap unexpected = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + unexpected);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerRequestException.class);
            return ((PeerRequestException) e.getCause()).reason();
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
