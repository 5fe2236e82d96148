package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerNoticeListener;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;

/**
 * The party key over real QUIC: peers with the same key serve each other as before; a peer without it or
 * with another one is refused every request, in both directions, and never introduced; a proof made for one
 * connection is worthless on another.
 */
class PartyKeyTest {

    private static final String KEY = "correct horse battery staple";

    @TempDir
    Path tmp;

    private Path games;
    private final List<QuicPeerServer> servers = new ArrayList<>();
    private final List<QuicPeerClient> clients = new ArrayList<>();
    private final List<RawQuicClient> raws = new ArrayList<>();
    private final BlockingQueue<String> notices = new LinkedBlockingQueue<>();
    private final MessageCodec codec = new MessageCodec();

    @BeforeEach
    void library() throws Exception {
        games = Files.createDirectories(tmp.resolve("games"));
        Files.createDirectories(games.resolve("quake"));
        Files.writeString(games.resolve("quake/version.ini"), "version=1\n");
        Files.write(games.resolve("quake/pak0.pak"), new byte[GameManifest.CHUNK_SIZE + 100]);
    }

    @AfterEach
    void stop() {
        raws.forEach(RawQuicClient::close);
        clients.forEach(QuicPeerClient::deactivate);
        servers.forEach(QuicPeerServer::deactivate);
    }

    @Test
    void peersWithTheSameKeyServeEachOtherAsBefore() throws Exception {
        IdentityComponent serverIdentity = identity("server", KEY);
        InetSocketAddress server = server(serverIdentity);
        IdentityComponent clientIdentity = identity("client", KEY);
        QuicPeerClient client = client(clientIdentity);

        PeerHello hello = client.hello(server, 42420, 3).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(hello.peerId()).isEqualTo(serverIdentity.peerId());
        assertThat(notices.poll(10, TimeUnit.SECONDS)).isEqualTo("introduced " + clientIdentity.peerId());
        assertThat(get(client.ping(server)).peerId()).isEqualTo(serverIdentity.peerId());
        assertThat(get(client.listGames(server))).extracting(Game::id).containsExactly("quake");
        assertThat(get(client.getGame(server, "quake"))).hasSize(2);
        assertThat(get(client.manifest(server, "quake")).gameId()).isEqualTo("quake");
        get(client.getChunks(server, "quake", List.of(new ChunkRange("pak0.pak", 0, 100))).get(0)).release();
        assertThat(get(client.getChunk(server, "quake", "pak0.pak", 0, 10)).data().remaining()).isEqualTo(10);
        assertThat(get(client.getFile(server, "quake", "pak0.pak", tmp.resolve("pak0.copy")))).isEqualTo(
                GameManifest.CHUNK_SIZE + 100);
        get(client.libraryChanged(server, 4));
        assertThat(notices.poll(10, TimeUnit.SECONDS)).isEqualTo("libraryChanged " + clientIdentity.peerId());
        get(client.goodbye(server));
        assertThat(notices.poll(10, TimeUnit.SECONDS)).isEqualTo("goodbye " + clientIdentity.peerId());
    }

    @Test
    void aPeerWithAKeyRefusesEveryRequestOfAClientWithout() throws Exception {
        InetSocketAddress server = server(identity("server", KEY));
        QuicPeerClient unkeyed = client(identity("unkeyed", null));

        for (Supplier<CompletionStage<?>> request : everyRequest(unkeyed, server)) {
            PeerRequestException refused = failure(request.get());
            assertThat(refused.reason()).isEqualTo(Reason.PROTOCOL);
            assertThat(refused.getMessage()).isEqualTo(PartyGate.NOT_PROVEN);
        }
        assertNoNoticeReachedTheServer(server);
    }

    @Test
    void everyRequestTypeIsAnsweredWithARefusalBeforeTheProof() throws Exception {
        InetSocketAddress server = server(identity("server", KEY));
        RawQuicClient raw = raw(server, identity("raw", null));
        List<Request> requests = List.of(new Request.Ping(), new Request.Hello("x", 42420, 1),
                new Request.LibraryChanged(2), new Request.Goodbye(), new Request.ListGames(),
                new Request.GetGame("quake"), new Request.GetManifest("quake"),
                new Request.GetGameFileData("quake", "pak0.pak"),
                new Request.GetGameFileChunk("quake", "pak0.pak", 0, 10),
                new Request.GetChunks("quake", List.of(new Request.GetChunks.Range("pak0.pak", 0, 10))));
        for (Request request : requests) {
            Response answer = raw.send(codec.encode(request), true).response(Protocol.VERSION);
            assertThat(answer).as("answer to %s", request)
                    .isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY, PartyGate.NOT_PROVEN));
        }
        assertNoNoticeReachedTheServer(server);
    }

    @Test
    void aClientWithAKeyRefusesAPeerWithout() throws Exception {
        InetSocketAddress server = server(identity("server", null));
        QuicPeerClient keyed = client(identity("keyed", KEY));

        for (Supplier<CompletionStage<?>> request : everyRequest(keyed, server)) {
            PeerRequestException refused = failure(request.get());
            assertThat(refused.reason()).isEqualTo(Reason.PROTOCOL);
            assertThat(refused.getMessage()).isEqualTo("peer at " + server + " is not in this party: it has no party key");
        }
        assertNoNoticeReachedTheServer(server);
    }

    @Test
    void differentKeysAreRefusedInBothDirections() throws Exception {
        for (String[] keys : new String[][] {{"red", "blue"}, {"blue", "red"}}) {
            InetSocketAddress server = server(identity("server-" + keys[0], keys[0]));
            QuicPeerClient client = client(identity("client-" + keys[1], keys[1]));
            for (Supplier<CompletionStage<?>> request : everyRequest(client, server)) {
                PeerRequestException refused = failure(request.get());
                assertThat(refused.getMessage()).isEqualTo("peer at " + server
                        + " is not in this party: the party keys differ");
            }
            assertNoNoticeReachedTheServer(server);
        }
    }

    @Test
    void aProofMadeForAnotherConnectionIsRefused() throws Exception {
        IdentityComponent serverIdentity = identity("server", KEY);
        InetSocketAddress server = server(serverIdentity);
        InetSocketAddress otherServer = server(identity("other-server", KEY));
        PartyKey key = PartyKey.of(KEY).orElseThrow();
        IdentityComponent alice = identity("alice", null);

        // alice's valid proof for her connection to the server, seen by someone else
        RawQuicClient aliceToServer = raw(server, alice);
        String aliceProof = key.clientProof(alice.certificate(), serverCertificate(aliceToServer));

        // replayed by another client to the same server
        RawQuicClient mallory = raw(server, identity("mallory", null));
        assertThat(send(mallory, new Request.PartyProof(aliceProof)))
                .isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY, "the party keys differ"));
        assertThat(send(mallory, new Request.Ping()))
                .isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY, PartyGate.NOT_PROVEN));

        // replayed by alice herself to another server of the party
        RawQuicClient aliceToOther = raw(otherServer, alice);
        assertThat(send(aliceToOther, new Request.PartyProof(aliceProof)))
                .isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY, "the party keys differ"));

        // on the connection it was made for it is good, and the server proves the key in return
        Response answer = send(aliceToServer, new Request.PartyProof(aliceProof));
        assertThat(answer).isInstanceOf(Response.PartyProof.class);
        assertThat(key.isServerProof(((Response.PartyProof) answer).proof(), alice.certificate(),
                serverIdentity.certificate())).isTrue();
        assertThat(key.isClientProof(((Response.PartyProof) answer).proof(), alice.certificate(),
                serverIdentity.certificate())).as("the server's proof is not the client's mirrored").isFalse();
        assertThat(send(aliceToServer, new Request.Ping())).isInstanceOf(Response.Pong.class);
    }

    @Test
    void aConnectionHasOneAttempt() throws Exception {
        InetSocketAddress server = server(identity("server", KEY));
        IdentityComponent guesser = identity("guesser", null);
        RawQuicClient raw = raw(server, guesser);
        X509Certificate serverCertificate = serverCertificate(raw);
        String wrong = PartyKey.of("guess").orElseThrow().clientProof(guesser.certificate(), serverCertificate);
        String right = PartyKey.of(KEY).orElseThrow().clientProof(guesser.certificate(), serverCertificate);

        assertThat(send(raw, new Request.PartyProof(wrong)))
                .isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY, "the party keys differ"));
        assertThat(send(raw, new Request.PartyProof(right))).isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY,
                "the party key may be proven only once per connection"));
        assertThat(send(raw, new Request.ListGames()))
                .isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY, PartyGate.NOT_PROVEN));
    }

    @Test
    void aPeerWithoutAKeyRefusesAProofAndServesAsBefore() throws Exception {
        InetSocketAddress server = server(identity("server", null));
        IdentityComponent caller = identity("caller", null);
        RawQuicClient raw = raw(server, caller);
        String proof = PartyKey.of(KEY).orElseThrow().clientProof(caller.certificate(), serverCertificate(raw));
        assertThat(send(raw, new Request.PartyProof(proof)))
                .isEqualTo(new Response.Error(ErrorCode.NOT_IN_PARTY, "it has no party key"));
        assertThat(send(raw, new Request.ListGames())).isInstanceOf(Response.Games.class);
        assertThat(get(client(identity("plain", null)).ping(server))).isNotNull();
    }

    /**
     * One of each request of the client's API, all to {@code server}, each made when the one before it is
     * asked for (a failed ping drops its connection, and would fail requests still waiting on it for that).
     */
    private List<Supplier<CompletionStage<?>>> everyRequest(QuicPeerClient client, InetSocketAddress server) {
        return List.of(() -> client.ping(server),
                () -> client.hello(server, 42420, 1),
                () -> client.listGames(server),
                () -> client.getGame(server, "quake"),
                () -> client.manifest(server, "quake"),
                () -> client.getChunk(server, "quake", "pak0.pak", 0, 10),
                () -> client.getChunks(server, "quake", List.of(new ChunkRange("pak0.pak", 0, 10))).get(0),
                () -> client.getFile(server, "quake", "pak0.pak", tmp.resolve("refused.pak")),
                () -> client.libraryChanged(server, 2),
                () -> client.goodbye(server));
    }

    /** The server's listeners heard nothing: the next notice they hear is one from a member of its party. */
    private void assertNoNoticeReachedTheServer(InetSocketAddress server) throws Exception {
        QuicPeerServer target = servers.stream().filter(s -> s.localAddress().getPort() == server.getPort())
                .findFirst().orElseThrow();
        assertThat(notices).isEmpty();
        // a probe that the server does serve: a client with its key (or none, when it has none)
        String serverKey = keys.get(target);
        IdentityComponent member = identity("member-" + notices.hashCode() + "-" + clients.size(), serverKey);
        get(client(member).hello(server, 42420, 1));
        assertThat(notices.poll(10, TimeUnit.SECONDS)).isEqualTo("introduced " + member.peerId());
    }

    private final Map<QuicPeerServer, String> keys = new HashMap<>();

    private InetSocketAddress server(IdentityComponent identity) throws Exception {
        QuicPeerServer server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", 0)), new TestLibrary(games), identity);
        servers.add(server);
        keys.put(server, identityKeys.get(identity));
        server.addNoticeListener(new PeerNoticeListener() {
            @Override
            public void introduced(String peerId, String name, InetSocketAddress listenAddress, long revision) {
                notices.add("introduced " + peerId);
            }

            @Override
            public void libraryChanged(String peerId, long libraryRevision) {
                notices.add("libraryChanged " + peerId);
            }

            @Override
            public void goodbye(String peerId) {
                notices.add("goodbye " + peerId);
            }
        });
        return new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
    }

    private QuicPeerClient client(IdentityComponent identity) {
        QuicPeerClient client = new QuicPeerClient(Configs.of(QuicPeerClient.Config.class,
                Map.of("connect.timeout.seconds", 3)), identity);
        clients.add(client);
        return client;
    }

    private RawQuicClient raw(InetSocketAddress server, IdentityComponent identity) throws Exception {
        RawQuicClient raw = new RawQuicClient(server, InetAddress.getLoopbackAddress(), identity);
        raws.add(raw);
        return raw;
    }

    private Response send(RawQuicClient raw, Request request) throws Exception {
        return raw.send(codec.encode(request), true).response(Protocol.VERSION);
    }

    private static X509Certificate serverCertificate(RawQuicClient raw) {
        return CallerIdentity.certificate(raw.quic()).orElseThrow();
    }

    private final Map<IdentityComponent, String> identityKeys = new HashMap<>();

    private IdentityComponent identity(String name, String partyKey) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("state.dir", tmp.resolve(name + "-state").toString(),
                "name", name));
        if (partyKey != null) {
            config.put(".party.key", partyKey);
        }
        IdentityComponent identity = new IdentityComponent(Configs.of(IdentityComponent.Config.class, config));
        identityKeys.put(identity, partyKey);
        return identity;
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static PeerRequestException failure(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerRequestException.class);
            return (PeerRequestException) e.getCause();
        }
        throw new AssertionError("the request succeeded");
    }
}
