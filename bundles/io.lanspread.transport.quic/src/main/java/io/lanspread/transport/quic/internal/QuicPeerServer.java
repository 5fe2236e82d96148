package io.lanspread.transport.quic.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.PartialCopies;
import io.lanspread.api.transport.PeerNoticeListener;
import io.lanspread.api.transport.PeerServer;
import io.lanspread.protocol.Protocol;

/**
 * Serves this peer's library over QUIC: one bidirectional stream per request (see docs/protocol.md), in
 * protocol 2 or 1, whichever the client's ALPN chooses. Disk reads and hashing run on a blocking executor,
 * never on the event loop. Notices from other peers go to
 * the {@link PeerNoticeListener} services, on that executor. Stopping closes every connection with an
 * application close, so that clients notice at once instead of after the idle timeout.
 * <p>
 * Hostile or broken clients are bounded: connections per remote address and in total ({@link ConnectionLimits};
 * one beyond is closed with a reason, {@link ConnectionRefusal}), requests in flight per connection (QUIC stream
 * credit), time to send a request, and file bytes held for sending per connection and in total
 * ({@link ConnectionBudget} within the {@link ReadBudget}). With a party key (from the identity) nothing is
 * served to a connection before it proved the key ({@link PartyGate}).
 * <p>
 * A configuration change never restarts the component (its consumers keep it): thread count, request timeout
 * and connection limits apply at once; the rest, and a new key or party key of the identity, move the server to
 * a new socket in place ({@link ServerEndpoint}), so that connected clients reconnect and go on.
 */
@Component(name = "io.lanspread.transport.quic.server", service = PeerServer.class)
@Designate(ocd = QuicPeerServer.Config.class)
public final class QuicPeerServer implements PeerServer {

    @ObjectClassDefinition(name = "lanspread QUIC server")
    public @interface Config {
        @AttributeDefinition(description = "Address the UDP socket binds to")
        String bind_address() default "0.0.0.0";

        @AttributeDefinition(description = "UDP port; 0 picks a free one")
        int port() default 42420;

        @AttributeDefinition(description = "Threads reading files and hashing chunks")
        int io_threads() default 8;

        @AttributeDefinition(description = "Requests a client may have in flight on one connection (QUIC "
                + "initial_max_streams_bidi); clients wait for a free stream beyond it")
        int max_streams() default 64;

        @AttributeDefinition(description = "Seconds a client may take to send a whole request on a stream (its "
                + "frame and FIN); the stream is refused with BAD_REQUEST after that")
        int request_timeout_seconds() default 5;

        @AttributeDefinition(description = "File bytes held in memory for sending, across every stream and "
                + "connection, in MiB (at most half of the JVM's direct memory is used); a stream waits when it "
                + "is spent")
        int send_budget_mib() default 256;

        @AttributeDefinition(description = "File bytes one connection may hold in memory for sending, in MiB, "
                + "taken from send.budget.mib, so that clients which never read cannot spend the whole budget: "
                + "keep max.connections times this below send.budget.mib")
        int connection_send_budget_mib() default 1;

        @AttributeDefinition(description = "Open connections allowed from one remote IP address; a new one "
                + "beyond it is closed after its handshake with a sentence saying why")
        int max_connections_per_address() default 16;

        @AttributeDefinition(description = "Open connections allowed from all clients together")
        int max_connections() default 256;

        @AttributeDefinition(description = "Chunk answers for one remote peer read at once (a place per chunk, from "
                + "when its bytes fit the send budget until it is handed to QUIC); more wait their turn, round robin "
                + "across peers, and never fail")
        int max_requests_per_peer() default 8;

        @AttributeDefinition(description = "Chunk answers read at once for all remote peers together")
        int max_requests() default 32;

        @AttributeDefinition(description = "Use Linux's native epoll UDP transport (GSO, batched receives) when "
                + "it loads; NIO otherwise")
        boolean native_transport() default true;

        @AttributeDefinition(description = "Largest UDP payload sent, in bytes (1452 fits IPv4 and IPv6 in an "
                + "Ethernet MTU of 1500; raise it only where every link allows more)")
        int udp_payload_bytes() default 1452;

        @AttributeDefinition(description = "Congestion control of what this peer sends: cubic, reno or bbr")
        String congestion_control() default "cubic";
    }

    private static final Logger LOG = LoggerFactory.getLogger(QuicPeerServer.class);

    private final List<PeerNoticeListener> noticeListeners = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor blocking;
    private final ServerCounters counters = new ServerCounters();
    private final RefusalLog refusals = new RefusalLog(LOG);
    private final ServerEndpoint.Shared shared;
    private volatile long requestTimeoutMillis;
    private final FairServing fair;
    private volatile ServerEndpoint endpoint; // replaced under this
    /** Endpoints replaced by a move, closing in the background; deactivation waits for them. */
    private final List<CompletableFuture<Void>> retiring = new ArrayList<>(); // under this

    @Activate
    public QuicPeerServer(Config config, @Reference LocalLibrary library,
            @Reference(bind = "bindIdentity", updated = "identityUpdated") TlsIdentity identity) {
        int threads = Math.max(1, config.io_threads());
        blocking = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Threads.named("lanspread-quic-server-io"));
        blocking.allowCoreThreadTimeOut(true);
        requestTimeoutMillis = requestTimeoutMillis(config);
        fair = new FairServing(config.max_requests_per_peer(), config.max_requests());
        shared = new ServerEndpoint.Shared(library, identity, blocking, new NoticeListeners(noticeListeners),
                counters, refusals, () -> requestTimeoutMillis, () -> partialCopies, fair);
        try {
            endpoint = new ServerEndpoint(ServerEndpoint.Settings.of(config), config.port(), identity.current(), shared,
                    config.max_connections_per_address(), config.max_connections());
        } catch (Throwable e) { // Netty throws a failed bind's IOException unchecked
            Threads.shutdown(blocking);
            throw e;
        }
        LOG.info("QUIC server listening on {} ({})", endpoint.localAddress(), endpoint.udp());
    }

    /** Applies what can be applied live, and moves to a new socket when what the socket is built with changed. */
    @Modified
    synchronized void modified(Config config) {
        int threads = Math.max(1, config.io_threads());
        if (threads > blocking.getMaximumPoolSize()) { // the order keeps core <= maximum
            blocking.setMaximumPoolSize(threads);
            blocking.setCorePoolSize(threads);
        } else {
            blocking.setCorePoolSize(threads);
            blocking.setMaximumPoolSize(threads);
        }
        requestTimeoutMillis = requestTimeoutMillis(config);
        endpoint.limits().resize(config.max_connections_per_address(), config.max_connections());
        fair.resize(config.max_requests_per_peer(), config.max_requests());
        ServerEndpoint.Settings settings = ServerEndpoint.Settings.of(config);
        if (!settings.equals(endpoint.settings())) {
            rebind(settings, endpoint.keys(), config);
        }
    }

    /**
     * Nothing to do: the constructor has the identity. Felix SCR calls a reference's updated method only when
     * the reference also names a bind method.
     */
    void bindIdentity(TlsIdentity bound) {
        // the constructor took it
    }

    /** The identity's configuration changed: a new key or party key needs a new TLS context, so a new socket. */
    synchronized void identityUpdated(TlsIdentity identity) {
        TlsIdentity now = identity.current();
        if (now.keysDifferFrom(endpoint.keys())) {
            ServerEndpoint current = endpoint;
            rebind(current.settings(), now, null);
        }
    }

    private void rebind(ServerEndpoint.Settings settings, TlsIdentity keys, Config config) {
        ServerEndpoint old = endpoint;
        int oldPort = old.localAddress().getPort();
        int perAddress = config != null ? config.max_connections_per_address() : old.limits().perAddress();
        int total = config != null ? config.max_connections() : old.limits().total();
        // port 0 keeps the port picked before, unless the address changes: peers know this peer by it
        boolean sameAddress = settings.bindAddress().equals(old.settings().bindAddress());
        int port = settings.port() == 0 && old.settings().port() == 0 && sameAddress ? oldPort : settings.port();
        // the same port must be free before it is bound again (on any address: the wildcard holds them all)
        boolean closeFirst = port == oldPort;
        if (closeFirst) {
            old.close("server moving to new settings");
        }
        try {
            endpoint = new ServerEndpoint(settings, port, keys, shared, perAddress, total);
        } catch (Exception e) { // a failed bind's IOException comes unchecked from Netty
            LOG.warn("The QUIC server cannot listen on {} port {} ({}), so it stays on {}.", settings.bindAddress(),
                    port, e.getMessage(), closeFirst ? "its previous settings" : old.localAddress());
            if (closeFirst) {
                endpoint = new ServerEndpoint(old.settings(), oldPort, old.keys(), shared, perAddress, total);
            }
            return;
        }
        if (!closeFirst) {
            // in the background: closing waits for the connections' closes to be sent (seconds on a busy machine),
            // and the component's service properties, which tell the orchestrator to announce the move, come after
            retire(old, "server moved to port " + endpoint.localAddress().getPort());
        }
        LOG.info("QUIC server now listening on {} ({})", endpoint.localAddress(), endpoint.udp());
    }

    private void retire(ServerEndpoint old, String why) {
        retiring.removeIf(CompletableFuture::isDone);
        retiring.add(CompletableFuture.runAsync(() -> old.close(why), blocking));
    }

    private static long requestTimeoutMillis(Config config) {
        return TimeUnit.SECONDS.toMillis(Math.max(1, config.request_timeout_seconds()));
    }

    /** The games this peer is still downloading and shares (swarming); served when the library lacks them. */
    private volatile PartialCopies partialCopies;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetPartialCopies")
    void setPartialCopies(PartialCopies copies) {
        partialCopies = copies;
    }

    void unsetPartialCopies(PartialCopies copies) {
        if (partialCopies == copies) {
            partialCopies = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeNoticeListener")
    void addNoticeListener(PeerNoticeListener listener) {
        noticeListeners.add(listener);
    }

    void removeNoticeListener(PeerNoticeListener listener) {
        noticeListeners.remove(listener);
    }

    @Deactivate
    synchronized void deactivate() {
        endpoint.close("server shutting down");
        for (CompletableFuture<Void> closing : retiring) {
            try {
                closing.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("An earlier socket did not close in time", e);
            }
        }
        Threads.shutdown(blocking);
    }

    /** The send budget (for tests). */
    ReadBudget budget() {
        return endpoint.budget();
    }

    /** The UDP layer in use (for tests). */
    UdpTransport udp() {
        return endpoint.udp();
    }

    /** Open connections from clients (for tests). */
    int connectionCount() {
        return endpoint.connectionCount();
    }

    /** Connections refused by the limits since the start (for tests). */
    long refusedConnections() {
        return counters.refused().sum();
    }

    /** The connection limits (for tests). */
    ConnectionLimits limits() {
        return endpoint.limits();
    }

    /** Connections accepted since the start (for tests). */
    long acceptedConnections() {
        return counters.accepted().sum();
    }

    /** The address bound now; it changes when the configuration moves the server to another port or address. */
    @Override
    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    /** The newest version (2); connections that negotiated lanspread/1 are still served as version 1. */
    @Override
    public int protocolVersion() {
        return Protocol.VERSION;
    }

    @Override
    public long servedBytes() {
        return counters.served().sum();
    }

    @Override
    public io.lanspread.api.transport.UplinkStatus uplink() {
        synchronized (fair) {
            return new io.lanspread.api.transport.UplinkStatus(fair.perPeer(), fair.total(), fair.serving(),
                    fair.waiting());
        }
    }
}
