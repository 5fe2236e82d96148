package io.lanspread.transport.quic.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.HaveMap;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.api.transport.ReceivedChunk;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.ProtocolException;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Requests to peers over QUIC. One connection per remote address, reused and re-created when it broke.
 * The client presents this peer's certificate, so servers can attribute its notices to its peer id. Any
 * server certificate is accepted in the handshake (peers are self-signed); the id derived from it is
 * remembered and a {@code Pong} claiming another peer id fails with {@link Reason#PROTOCOL}.
 * <p>
 * Identity is pinned per address: a successful ping or hello pins the (certificate-proven) peer id to the
 * address, and every other request on a connection whose certificate belongs to another peer fails with
 * {@link Reason#PROTOCOL} and drops that connection, so a new host at an old address cannot answer in the
 * old peer's name. Only a new ping or hello re-pins; {@link #disconnect} forgets the pin. An address with no
 * pin yet accepts any peer (in practice the first contact with an address is a hello or ping).
 * <p>
 * With a party key (from the identity) every new connection proves it right after the handshake and checks the
 * server's proof in return before any request uses it; a peer outside the party fails every request.
 * <p>
 * A configuration change never restarts the component (the download manager and the orchestrator keep it):
 * timeouts and limits apply to requests from then on; a new UDP layer or thread count, and a new key or party
 * key of the identity, close the connections (requests in flight fail and are retried by their callers) and
 * every request from then on connects anew with them.
 */
@Component(name = "io.lanspread.transport.quic.client", service = PeerClient.class)
@Designate(ocd = QuicPeerClient.Config.class)
public final class QuicPeerClient implements PeerClient {

    @ObjectClassDefinition(name = "lanspread QUIC client")
    public @interface Config {
        @AttributeDefinition(description = "Timeout of ping, hello, listGames and getGame, in seconds")
        int request_timeout_seconds() default 10;

        @AttributeDefinition(description = "Timeout of libraryChanged and goodbye (connecting included), in seconds")
        int notice_timeout_seconds() default 2;

        @AttributeDefinition(description = "Timeout of one chunk request, in seconds")
        int chunk_timeout_seconds() default 30;

        @AttributeDefinition(description = "A whole-file transfer fails after this many seconds without data")
        int file_idle_timeout_seconds() default 30;

        @AttributeDefinition(description = "Timeout of the QUIC handshake, in seconds")
        int connect_timeout_seconds() default 5;

        @AttributeDefinition(description = "Event loop threads")
        int event_loop_threads() default 2;

        @AttributeDefinition(description = "Requests per connection that may wait for a stream when the peer's "
                + "stream limit is reached; a request beyond them fails at once")
        int max_waiting_requests() default 1024;

        @AttributeDefinition(description = "Use Linux's native epoll UDP transport (GSO, batched receives) when "
                + "it loads; NIO otherwise")
        boolean native_transport() default true;

        @AttributeDefinition(description = "Largest UDP payload sent, in bytes (1452 fits IPv4 and IPv6 in an "
                + "Ethernet MTU of 1500; raise it only where every link allows more)")
        int udp_payload_bytes() default 1452;

        @AttributeDefinition(description = "With the native transport, let the kernel hand over runs of a peer's "
                + "datagrams at once (UDP GRO) on these connections, which carry downloads; saves both sides' "
                + "kernels most of their work per datagram")
        boolean udp_gro() default true;
    }

    private static final Logger LOG = LoggerFactory.getLogger(QuicPeerClient.class);
    private static final long CLOSE_WAIT_MILLIS = 1000;

    private final MessageCodec codec = new MessageCodec();
    private final Map<InetSocketAddress, CompletableFuture<PeerConnection>> connections = new ConcurrentHashMap<>();
    /** The peer id last proven by a ping or hello to each address. */
    private final Map<InetSocketAddress, String> pins = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final InetAddress localAddress;
    /** The identity service, for names and key changes; null in tests that give a TLS context of their own. */
    private final TlsIdentity identity;
    /** The name in hellos when there is no identity (tests). */
    private final String fixedName;
    private volatile Loop loop; // replaced under this
    private volatile Credentials credentials; // replaced under this
    private volatile Duration requestTimeout;
    private volatile Duration noticeTimeout;
    private volatile Duration chunkTimeout;
    private volatile Duration fileIdleTimeout;
    private volatile int connectTimeoutMillis;
    private volatile int maxWaitingRequests;

    /** The UDP layer and event loops, made for one set of settings. */
    private record Loop(UdpTransport udp, EventLoopGroup group, boolean nativeTransport, boolean gro,
            int udpPayloadBytes, int threads) {

        static Loop of(Config config) {
            UdpTransport udp = UdpTransport.choose(config.native_transport(), config.udp_gro(),
                    config.udp_payload_bytes());
            int threads = Math.max(1, config.event_loop_threads());
            return new Loop(udp, udp.newGroup(threads, new DefaultThreadFactory("lanspread-quic-client", true)),
                    config.native_transport(), config.udp_gro(), config.udp_payload_bytes(), threads);
        }

        boolean fits(Config config) {
            return nativeTransport == config.native_transport() && gro == config.udp_gro()
                    && udpPayloadBytes == config.udp_payload_bytes()
                    && threads == Math.max(1, config.event_loop_threads());
        }
    }

    /**
     * What a new connection presents: the TLS context, the party key it proves (null: none) with the certificate
     * the proof binds, and the keys it was made from (null when a test gave the context).
     */
    private record Credentials(QuicSslContext ssl, PartyKey party, X509Certificate certificate, TlsIdentity keys) {

        static Credentials of(TlsIdentity keys) {
            return new Credentials(TlsContexts.client(keys), keys.partyKey().orElse(null), keys.certificate(), keys);
        }
    }

    @Activate
    public QuicPeerClient(Config config, @Reference(bind = "bindIdentity", updated = "identityUpdated") TlsIdentity identity) {
        this(config, identity, null);
    }

    /** With connections from {@code localAddress} (null: any; tests use several 127.0.0.x source addresses). */
    QuicPeerClient(Config config, TlsIdentity identity, InetAddress localAddress) {
        this(config, identity, Credentials.of(identity.current()), localAddress);
    }

    /** With any TLS context (tests use one without a client certificate) and no party key. */
    QuicPeerClient(Config config, QuicSslContext ssl, String name) {
        this(config, null, new Credentials(ssl, null, null, null), null, name);
    }

    private QuicPeerClient(Config config, TlsIdentity identity, Credentials credentials, InetAddress localAddress) {
        this(config, identity, credentials, localAddress, null);
    }

    /** @param fixedName the name in hellos when there is no identity (tests) */
    private QuicPeerClient(Config config, TlsIdentity identity, Credentials credentials, InetAddress localAddress,
            String fixedName) {
        this.identity = identity;
        this.fixedName = fixedName;
        this.credentials = credentials;
        this.localAddress = localAddress;
        applyTimeouts(config);
        loop = Loop.of(config);
        // callers may block in callbacks, so the pool grows instead of queueing
        executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Threads.named("lanspread-quic-callback"));
    }

    /**
     * Timeouts and the waiting limit apply to requests and connections from now on. A new UDP layer or thread
     * count replaces the event loops: the connections close (their requests fail, and callers retry) and the
     * old loops stop in the background.
     */
    @Modified
    synchronized void modified(Config config) {
        applyTimeouts(config);
        if (loop.fits(config)) {
            return;
        }
        Loop old = loop;
        loop = Loop.of(config);
        LOG.info("QUIC client now uses {} with {} event loop threads", loop.udp(), loop.threads());
        dropAll();
        executor.execute(() -> Threads.shutdown(old.group()));
    }

    /**
     * Nothing to do: the constructor has the identity. Felix SCR calls a reference's updated method only when
     * the reference also names a bind method.
     */
    void bindIdentity(TlsIdentity bound) {
        // the constructor took it
    }

    /** A new key or party key of the identity: new connections present it, the old ones close. */
    synchronized void identityUpdated(TlsIdentity updated) {
        TlsIdentity now = updated.current();
        Credentials before = credentials;
        if (before.keys() != null && now.keysDifferFrom(before.keys())) {
            credentials = Credentials.of(now);
            LOG.info("QUIC client reconnects with the identity's new key or party key");
            dropAll();
        }
    }

    private void applyTimeouts(Config config) {
        requestTimeout = Duration.ofSeconds(Math.max(1, config.request_timeout_seconds()));
        noticeTimeout = Duration.ofSeconds(Math.max(1, config.notice_timeout_seconds()));
        chunkTimeout = Duration.ofSeconds(Math.max(1, config.chunk_timeout_seconds()));
        fileIdleTimeout = Duration.ofSeconds(Math.max(1, config.file_idle_timeout_seconds()));
        connectTimeoutMillis = (int) TimeUnit.SECONDS.toMillis(Math.max(1, config.connect_timeout_seconds()));
        maxWaitingRequests = Math.max(1, config.max_waiting_requests());
    }

    /** Closes every connection (pins stay: the peers are the same); the next request to each connects anew. */
    private void dropAll() {
        List.copyOf(connections.keySet()).forEach(this::drop);
    }

    /** The name hellos carry: the identity's now. */
    private String name() {
        return identity != null ? identity.name() : fixedName;
    }

    @Deactivate
    synchronized void deactivate() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (CompletableFuture<PeerConnection> f : connections.values()) {
            PeerConnection connection = f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
            if (connection != null) {
                closing.add(connection.close());
            } else {
                f.thenAccept(QuicPeerClient::closeLater); // still connecting: the group's shutdown ends it
            }
        }
        connections.clear();
        pins.clear();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (ChannelFuture f : closing) { // lets the close reach the peers before the event loops stop
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        Threads.shutdown(loop.group()); // fails what is in flight; those completions still run on the executor
        Threads.shutdown(executor);
    }

    // ------------------------------------------------------------------ PeerClient

    @Override
    public CompletionStage<PeerHello> ping(InetSocketAddress peer) {
        CompletableFuture<PeerHello> hello = request(peer, new Request.Ping(), requestTimeout, false, false,
                (completion, connection) -> new ControlResponseHandler<>(completion, codec, Response.Pong.class,
                        pong -> pin(pong, connection)));
        return hello;
    }

    @Override
    public CompletionStage<PeerHello> hello(InetSocketAddress peer, int listenPort, long libraryRevision) {
        Request.Hello request;
        try {
            request = new Request.Hello(name(), listenPort, libraryRevision);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new PeerRequestException(Reason.BAD_REQUEST, e.getMessage()));
        }
        CompletableFuture<PeerHello> hello = request(peer, request, requestTimeout, false, false,
                (completion, connection) -> new ControlResponseHandler<>(completion, codec, Response.Pong.class,
                        pong -> pin(pong, connection)));
        return hello;
    }

    @Override
    public CompletionStage<Void> libraryChanged(InetSocketAddress peer, long libraryRevision) {
        Request.LibraryChanged request;
        try {
            request = new Request.LibraryChanged(libraryRevision);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new PeerRequestException(Reason.BAD_REQUEST, e.getMessage()));
        }
        return notice(peer, request);
    }

    /** Bounded by the notice timeout; the connection to the peer is closed afterwards, whatever the outcome. */
    @Override
    public CompletionStage<Void> goodbye(InetSocketAddress peer) {
        CompletableFuture<Void> ack = notice(peer, new Request.Goodbye());
        ack.whenComplete((v, e) -> drop(peer));
        return ack;
    }

    /** Also forgets the peer id pinned to {@code peer}. */
    @Override
    public void disconnect(InetSocketAddress peer) {
        pins.remove(peer);
        drop(peer);
    }

    private CompletableFuture<Void> notice(InetSocketAddress peer, Request request) {
        return request(peer, request, noticeTimeout, false, true,
                (completion, connection) -> new ControlResponseHandler<>(completion, codec, Response.Ack.class,
                        ack -> null));
    }

    @Override
    public CompletionStage<List<Game>> listGames(InetSocketAddress peer) {
        return request(peer, new Request.ListGames(), requestTimeout, false, true,
                (completion, connection) -> new ControlResponseHandler<>(completion, codec, Response.Games.class,
                        Response.Games::games));
    }

    @Override
    public CompletionStage<List<GameFile>> getGame(InetSocketAddress peer, String gameId) {
        return request(peer, new Request.GetGame(gameId), requestTimeout, false, true,
                (completion, connection) -> new ControlResponseHandler<>(completion, codec, Response.GameFiles.class,
                        files -> {
                            if (!files.gameId().equals(gameId)) {
                                throw new PeerRequestException(Reason.PROTOCOL, "files of " + files.gameId()
                                        + " answer a request for " + gameId);
                            }
                            return files.files();
                        }));
    }

    @Override
    public CompletionStage<ChunkData> getChunk(InetSocketAddress peer, String gameId, String path, long offset,
            int length) {
        Request.GetGameFileChunk request;
        try {
            request = new Request.GetGameFileChunk(gameId, path, offset, length);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new PeerRequestException(Reason.BAD_REQUEST, e.getMessage()));
        }
        return request(peer, request, chunkTimeout, false, true,
                (completion, connection) -> new ChunkResponseHandler(completion, codec, request,
                        connection.protocolVersion()));
    }

    /**
     * Protocol 3: up to {@link Protocol#MAX_CHUNKS_PER_REQUEST} ranges per stream, each stream timed out only
     * when no data arrives for the chunk timeout. Older peers get one {@link #getChunk} per range.
     */
    @Override
    public List<CompletionStage<ReceivedChunk>> getChunks(InetSocketAddress peer, String gameId,
            List<ChunkRange> ranges) {
        return getChunks(peer, gameId, null, ranges);
    }

    /** Protocol 4 names the version (a partial copy may serve it); an older peer is asked without it. */
    @Override
    public List<CompletionStage<ReceivedChunk>> getChunks(InetSocketAddress peer, String gameId, String version,
            List<ChunkRange> ranges) {
        List<CompletableFuture<ReceivedChunk>> results = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            results.add(new CompletableFuture<>());
        }
        connection(peer).whenComplete((connection, error) -> {
            if (error != null) {
                PeerRequestException failure = unreachable(peer, error);
                executor.execute(() -> results.forEach(r -> r.completeExceptionally(failure)));
            } else if (connection.protocolVersion() < Protocol.VERSION_3) {
                for (int i = 0; i < ranges.size(); i++) {
                    ChunkRange range = ranges.get(i);
                    CompletableFuture<ReceivedChunk> result = results.get(i);
                    getChunk(peer, gameId, range.path(), range.offset(), range.length()).whenComplete((data, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(new HeapChunk(range, data));
                        }
                    });
                }
            } else {
                for (int from = 0; from < ranges.size(); from += Protocol.MAX_CHUNKS_PER_REQUEST) {
                    int to = Math.min(ranges.size(), from + Protocol.MAX_CHUNKS_PER_REQUEST);
                    String asked = connection.protocolVersion() >= Protocol.VERSION_4 ? version : null;
                    chunkStream(peer, gameId, asked, ranges.subList(from, to), results.subList(from, to));
                }
            }
        });
        return List.copyOf(results);
    }

    private void chunkStream(InetSocketAddress peer, String gameId, String version, List<ChunkRange> ranges,
            List<CompletableFuture<ReceivedChunk>> results) {
        Request.GetChunks request;
        try {
            request = new Request.GetChunks(gameId, version, ranges.stream()
                    .map(r -> new Request.GetChunks.Range(r.path(), r.offset(), r.length())).toList());
        } catch (IllegalArgumentException e) {
            PeerRequestException failure = new PeerRequestException(Reason.BAD_REQUEST, e.getMessage());
            executor.execute(() -> results.forEach(r -> r.completeExceptionally(failure)));
            return;
        }
        CompletableFuture<Void> stream = request(peer, request, chunkTimeout, true, true,
                (completion, connection) -> new ChunksResponseHandler(completion, codec, List.copyOf(ranges), results,
                        executor));
        stream.whenComplete((done, failure) -> {
            if (failure != null) { // every range not answered yet fails with the stream
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                results.forEach(r -> r.completeExceptionally(cause));
            }
        });
    }

    /** Protocol 4: a have-map; an older peer fails it with {@code PROTOCOL} before anything is sent. */
    @Override
    public CompletionStage<HaveMap> have(InetSocketAddress peer, String gameId, String version, byte[] contentHash,
            long sinceRevision) {
        Request.GetHave request;
        try {
            request = new Request.GetHave(gameId, version, HexFormat.of().formatHex(contentHash), sinceRevision);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(new PeerRequestException(Reason.BAD_REQUEST, String.valueOf(e.getMessage())));
        }
        return request(peer, request, requestTimeout, false, true,
                (completion, connection) -> new ControlResponseHandler<>(completion, codec, Response.Have.class, have -> {
                    if (!have.gameId().equals(gameId) || !have.version().equals(version)) {
                        throw new PeerRequestException(Reason.PROTOCOL, "a have-map of " + have.gameId() + " "
                                + have.version() + " answers a request for " + gameId + " " + version);
                    }
                    return new HaveMap(have.revision(), have.chunks(), have.complete(), have.held());
                }));
    }

    /** Protocol 2 only; the hashes arrive as raw bytes and the manifest is built on the callback executor. */
    @Override
    public CompletionStage<GameManifest> manifest(InetSocketAddress peer, String gameId) {
        CompletableFuture<ManifestResponseHandler.Parts> parts = request(peer, new Request.GetManifest(gameId),
                requestTimeout, true, true, (completion, connection) -> new ManifestResponseHandler(completion, codec, gameId));
        CompletableFuture<GameManifest> manifest = new CompletableFuture<>();
        parts.whenComplete((p, error) -> {
            if (error != null) {
                manifest.completeExceptionally(error);
                return;
            }
            try {
                manifest.complete(p.header().toGameManifest(p.hashes()));
            } catch (ProtocolException e) {
                manifest.completeExceptionally(new PeerRequestException(Reason.PROTOCOL,
                        "bad manifest from " + peer + ": " + e.getMessage(), e));
            }
        });
        return manifest;
    }

    @Override
    public CompletionStage<Long> getFile(InetSocketAddress peer, String gameId, String path, Path target) {
        Request.GetGameFileData request = new Request.GetGameFileData(gameId, path);
        return request(peer, request, fileIdleTimeout, true, true,
                (completion, connection) -> new FileResponseHandler(completion, codec, request, target, executor));
    }

    /** Checks the pong against the certificate, then pins that peer id to the address (on the event loop,
     *  so the pin is in place before the caller sees the answer). */
    private PeerHello pin(Response.Pong pong, PeerConnection connection) {
        if (!pong.peerId().equals(connection.certificatePeerId())) {
            throw new PeerRequestException(Reason.PROTOCOL, "peer claims id " + pong.peerId()
                    + " but its certificate belongs to " + connection.certificatePeerId());
        }
        String previous = pins.put(connection.address(), pong.peerId());
        if (previous != null && !previous.equals(pong.peerId())) {
            LOG.info("{} is now peer {} (was {})", connection.address(), pong.peerId(), previous);
        }
        return new PeerHello(pong.peerId(), pong.name(), pong.protocolVersion(), pong.libraryRevision());
    }

    // ------------------------------------------------------------------ requests

    interface HandlerFactory<T> {
        ChannelHandler create(Completion<T> completion, PeerConnection connection);
    }

    /** @param pinned whether the answering peer must be the one pinned to {@code peer} (all but ping and hello) */
    private <T> CompletableFuture<T> request(InetSocketAddress peer, Request request, Duration timeout,
            boolean idle, boolean pinned, HandlerFactory<T> handlers) {
        byte[] frame;
        try {
            frame = codec.encode(request);
        } catch (IllegalArgumentException e) { // over the request size limit
            return CompletableFuture.failedFuture(new PeerRequestException(Reason.BAD_REQUEST, e.getMessage()));
        }
        boolean liveness = request instanceof Request.Ping || request instanceof Request.Hello;
        boolean control = liveness || request instanceof Request.LibraryChanged || request instanceof Request.Goodbye;
        return exchange(peer, frame, request.sinceVersion(), timeout, idle, pinned, control, liveness, handlers);
    }

    /** As below, for a request of protocol 1 (tests send malformed frames with it). */
    <T> CompletableFuture<T> exchange(InetSocketAddress peer, byte[] requestBytes, Duration timeout, boolean idle,
            boolean pinned, HandlerFactory<T> handlers) {
        return exchange(peer, requestBytes, Protocol.VERSION_1, timeout, idle, pinned, false, false, handlers);
    }

    /**
     * Sends raw bytes as a request on a new stream of the connection to {@code peer} and reads the answer
     * with the handler. A connection of an older protocol than {@code sinceVersion} fails the request with
     * {@code PROTOCOL} before anything is sent. The stream is opened only within the peer's stream credit:
     * until then the request waits on its connection ({@link StreamCredit}), its timeout running.
     *
     * @param control whether the request goes before waiting data requests (ping, hello, notices)
     * @param liveness whether a failure, whatever its reason, drops the connection (ping and hello): a peer
     *        that does not answer is gone or restarted, and no longer knows our old connection
     */
    <T> CompletableFuture<T> exchange(InetSocketAddress peer, byte[] requestBytes, int sinceVersion, Duration timeout,
            boolean idle, boolean pinned, boolean control, boolean liveness, HandlerFactory<T> handlers) {
        Completion<T> completion = new Completion<>(executor);
        try {
            watch(completion, timeout, idle);
        } catch (RuntimeException e) { // the group is shutting down
            completion.fail(new PeerRequestException(Reason.UNREACHABLE, "the client is stopped", e));
            return completion.future();
        }
        if (liveness) { // before the caller learns of the failure, so that its next request reconnects
            completion.onSettled(() -> {
                if (!completion.succeeded()) {
                    PeerConnection used = completion.connection();
                    if (used != null) {
                        drop(used);
                    } else {
                        drop(peer); // it failed while connecting
                    }
                }
            });
        }
        connection(peer).whenComplete((connection, error) -> {
            if (error != null) {
                completion.fail(unreachable(peer, error));
                return;
            }
            if (completion.isSettled()) {
                return;
            }
            completion.connected(connection);
            if (pinned) {
                PeerRequestException impostor = checkPin(connection);
                if (impostor != null) {
                    drop(connection);
                    completion.fail(impostor);
                    return;
                }
            }
            if (connection.protocolVersion() < sinceVersion) {
                completion.fail(new PeerRequestException(Reason.PROTOCOL, "peer at " + peer
                        + " speaks only lanspread protocol " + connection.protocolVersion()));
                return;
            }
            connection.streams().submit(completion, control,
                    () -> openStream(connection, completion, requestBytes, handlers));
        });
        return completion.future();
    }

    /** Opens the request's stream and sends the request (event loop, within the peer's stream credit). */
    private <T> void openStream(PeerConnection connection, Completion<T> completion, byte[] requestBytes,
            HandlerFactory<T> handlers) {
        InetSocketAddress peer = connection.address();
        completion.streamOpened();
        connection.quic().createStream(QuicStreamType.BIDIRECTIONAL, handlers.create(completion, connection))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        // should not happen within the credit; Netty used up a stream id for it, and a gap in
                        // the ids leaves the connection unusable: the next request makes a new one
                        LOG.debug("cannot open a stream to {}; dropping the connection", peer, f.cause());
                        drop(connection);
                        completion.fail(new PeerRequestException(Reason.UNREACHABLE,
                                "cannot open a stream to " + peer + ": " + f.cause(), f.cause()));
                        return;
                    }
                    QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
                    // credit may have come back while this stream was open
                    stream.closeFuture().addListener(closed -> connection.streams().pump());
                    // A failed or timed-out request abandons its stream. A successful one leaves it to
                    // the server's FIN, which ends it on both sides; closing it first (with the FIN
                    // still unread) left quiche holding every finished stream, and each packet got
                    // slower as a download went on.
                    completion.onSettled(() -> {
                        if (!completion.succeeded() && stream.isActive()) {
                            stream.close();
                        }
                    });
                    // the FIN on the request's own frame: a separate one after the write was now and then
                    // never sent under load (see ChunkStreamer), and a stream without it never ends
                    stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(requestBytes), true))
                            .addListener(w -> {
                                if (!w.isSuccess()) {
                                    completion.fail(new PeerRequestException(Reason.UNREACHABLE,
                                            "cannot send to " + peer + ": " + w.cause(), w.cause()));
                                }
                            });
                });
    }

    /** A failure when the connection's certificate belongs to another peer than the one pinned to its address. */
    private PeerRequestException checkPin(PeerConnection connection) {
        String expected = pins.get(connection.address());
        if (expected == null || expected.equals(connection.certificatePeerId())) {
            return null; // no pin yet: the first contact is a ping or hello in practice
        }
        return new PeerRequestException(Reason.PROTOCOL, "peer at " + connection.address() + " is now "
                + connection.certificatePeerId() + ", expected " + expected);
    }

    /** Fails the request after {@code timeout}, or, when {@code idle}, after {@code timeout} without data. */
    private void watch(Completion<?> completion, Duration timeout, boolean idle) {
        schedule(completion, timeout, idle, timeout.toNanos());
    }

    private void schedule(Completion<?> completion, Duration timeout, boolean idle, long delayNanos) {
        ScheduledFuture<?> timer = loop.group().next().schedule(() -> {
            if (completion.isSettled()) {
                return;
            }
            long quiet = System.nanoTime() - completion.lastActivity();
            if (idle && quiet < timeout.toNanos()) {
                schedule(completion, timeout, true, timeout.toNanos() - quiet);
            } else if (completion.isStreamOpened()) {
                completion.fail(new PeerRequestException(Reason.TIMEOUT, "no answer within " + timeout.toSeconds() + " s"));
            } else if (completion.isConnected()) {
                completion.fail(new PeerRequestException(Reason.TIMEOUT, "no stream to "
                        + completion.connection().address() + " became free within " + timeout.toSeconds()
                        + " s (the peer's stream limit was reached)"));
            } else {
                completion.fail(new PeerRequestException(Reason.UNREACHABLE, "no connection within "
                        + timeout.toSeconds() + " s"));
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
        completion.onSettled(() -> timer.cancel(false));
    }

    // ------------------------------------------------------------------ connections

    private CompletableFuture<PeerConnection> connection(InetSocketAddress peer) {
        for (;;) {
            CompletableFuture<PeerConnection> existing = connections.get(peer);
            if (existing != null) {
                if (!existing.isDone() || (!existing.isCompletedExceptionally() && existing.join().isActive())) {
                    return existing;
                }
                connections.remove(peer, existing); // broken: make a new one
                continue;
            }
            CompletableFuture<PeerConnection> fresh = new CompletableFuture<>();
            if (connections.putIfAbsent(peer, fresh) == null) {
                connect(peer, fresh);
                return fresh;
            }
        }
    }

    private void connect(InetSocketAddress peer, CompletableFuture<PeerConnection> result) {
        result.whenComplete((c, e) -> {
            if (e != null) {
                connections.remove(peer, result);
            }
        });
        Loop current = loop;
        UdpTransport udp = current.udp();
        Credentials presented = credentials;
        int waitingLimit = maxWaitingRequests;
        int connectTimeout = connectTimeoutMillis;
        ChannelHandler codecHandler = QuicSettings.apply(new QuicClientCodecBuilder(), udp.udpPayload())
                .sslContext(presented.ssl()).build();
        udp.configure(new Bootstrap()).group(current.group()).handler(codecHandler)
                .bind(new InetSocketAddress(localAddress, 0)).addListener(bound -> {
                    if (!bound.isSuccess()) {
                        result.completeExceptionally(bound.cause());
                        return;
                    }
                    Channel datagram = ((ChannelFuture) bound).channel();
                    StreamCredit streams = new StreamCredit(peer, waitingLimit);
                    QuicChannel.newBootstrap(datagram)
                            .handler(streams)
                            .streamHandler(new ChannelInboundHandlerAdapter()) // the server opens no streams
                            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)
                            .option(UdpTransport.segmentedSendsOption(), udp.segmentedSends())
                            .remoteAddress(peer)
                            .connect()
                            .addListener(connected -> {
                                if (!connected.isSuccess()) {
                                    datagram.close();
                                    result.completeExceptionally(connected.cause());
                                    return;
                                }
                                QuicChannel quic = (QuicChannel) connected.getNow();
                                PeerConnection connection;
                                try {
                                    requireLanspreadProtocol(quic);
                                    connection = new PeerConnection(peer, datagram, quic, certificatePeerId(quic), streams);
                                } catch (PeerRequestException e) {
                                    quic.close();
                                    datagram.close();
                                    result.completeExceptionally(e);
                                    return;
                                }
                                quic.closeFuture().addListener(closed -> {
                                    datagram.close();
                                    connections.remove(peer, result);
                                    LOG.debug("connection to {} closed", peer);
                                });
                                if (presented.party() == null) {
                                    result.complete(connection);
                                } else {
                                    proveParty(connection, result, presented);
                                }
                            });
                });
    }

    /**
     * Proves the party key on a new connection and checks the server's proof in return; only then is the
     * connection handed to requests. A peer without the key (or with another one) fails the connection, so
     * its ping and hello fail and it is never listed.
     */
    private void proveParty(PeerConnection connection, CompletableFuture<PeerConnection> result,
            Credentials presented) {
        PartyKey party = presented.party();
        X509Certificate certificate = presented.certificate();
        InetSocketAddress peer = connection.address();
        X509Certificate server = CallerIdentity.certificate(connection.quic()).orElseThrow();
        byte[] frame = codec.encode(new Request.PartyProof(party.clientProof(certificate, server)));
        Completion<Void> completion = new Completion<>(executor);
        try {
            watch(completion, Duration.ofMillis(connectTimeoutMillis), false);
        } catch (RuntimeException e) { // the group is shutting down
            completion.fail(new PeerRequestException(Reason.UNREACHABLE, "the client is stopped", e));
        }
        completion.connected(connection);
        completion.future().whenComplete((v, error) -> {
            if (error == null) {
                result.complete(connection);
            } else {
                connection.close();
                result.completeExceptionally(notInParty(peer, error));
            }
        });
        connection.streams().submit(completion, true, () -> openStream(connection, completion, frame,
                (c, conn) -> new ControlResponseHandler<>(c, codec, Response.PartyProof.class, answer -> {
                    if (!party.isServerProof(answer.proof(), certificate, server)) {
                        throw new PeerRequestException(Reason.PROTOCOL, "peer at " + peer
                                + " is not in this party: its answer to the party key proof is wrong");
                    }
                    return null;
                })));
    }

    /** Why a party proof failed, as a sentence naming the peer. */
    private static PeerRequestException notInParty(InetSocketAddress peer, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof PeerRequestException p)) {
            return new PeerRequestException(Reason.UNREACHABLE, "cannot connect to " + peer + ": " + cause, cause);
        }
        switch (p.reason()) {
            case PROTOCOL:
                if (p.getMessage().startsWith("peer at ")) {
                    return p; // the server's proof was wrong
                }
                return new PeerRequestException(Reason.PROTOCOL, "peer at " + peer + " is not in this party: "
                        + p.getMessage(), p);
            case BAD_REQUEST: // a lanspread from before party keys: it does not know the proof
                return new PeerRequestException(Reason.PROTOCOL, "peer at " + peer
                        + " is not in this party: it has no party key", p);
            default:
                return p;
        }
    }

    /** QUIC refuses a handshake without a common ALPN protocol; this guards against a TLS stack that does not. */
    private static void requireLanspreadProtocol(QuicChannel quic) {
        if (NegotiatedProtocol.version(quic) == 0) {
            throw new PeerRequestException(Reason.PROTOCOL, "the peer negotiated no lanspread protocol");
        }
    }

    private static String certificatePeerId(QuicChannel quic) {
        return CallerIdentity.of(quic).orElseThrow(() -> new PeerRequestException(Reason.PROTOCOL,
                "the peer presented no X.509 certificate"));
    }

    private static PeerRequestException unreachable(InetSocketAddress peer, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof PeerRequestException p) {
            return p;
        }
        return new PeerRequestException(Reason.UNREACHABLE, "cannot connect to " + peer + ": " + cause, cause);
    }

    /** Closes the connection to {@code peer}, if any; the next request makes a new one. */
    private void drop(InetSocketAddress peer) {
        CompletableFuture<PeerConnection> f = connections.remove(peer);
        if (f != null) {
            f.thenAccept(QuicPeerClient::closeLater);
        }
    }

    /** Closes this connection, and forgets it if it still is the one kept for its address. */
    private void drop(PeerConnection connection) {
        connections.computeIfPresent(connection.address(), (address, f) ->
                f.isDone() && !f.isCompletedExceptionally() && f.join() == connection ? null : f);
        closeLater(connection);
    }

    /**
     * Closes a connection in a task of its own on its event loop. A close that runs inside the connect
     * listener (a request that timed out while the handshake was still going on, say) made Netty's QUIC loop
     * sending datagrams without end, and the peer then reached no one (seen with ten peers starting at once).
     */
    private static void closeLater(PeerConnection connection) {
        try {
            connection.quic().eventLoop().execute(connection::close);
        } catch (RejectedExecutionException e) { // the loop is shutting down: it closes everything itself
            connection.close();
        }
    }

    /** The peer id pinned to {@code peer}, if any (for tests). */
    String pinnedPeerId(InetSocketAddress peer) {
        return pins.get(peer);
    }

    /** The UDP layer in use (for tests). */
    UdpTransport udp() {
        return loop.udp();
    }

    /** The live connection to {@code peer}, if any (for tests). */
    PeerConnection connectionTo(InetSocketAddress peer) {
        CompletableFuture<PeerConnection> f = connections.get(peer);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }
}
