package io.lanspread.discovery.staticlist.internal;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;

/**
 * One listener's view of the configured list. Every run resolves the current entries, reports entries
 * that left the list as lost and reports every resolvable entry as found. Runs on the backend's single
 * thread, so the bookkeeping needs no locks.
 */
final class StaticSession implements DiscoverySession {

    private static final Logger LOG = LoggerFactory.getLogger(StaticSession.class);

    private final ScheduledExecutorService executor;
    private final Supplier<List<PeerAddress>> configured;
    private final DiscoveryListener listener;
    private final Consumer<StaticSession> onClose;
    private final Map<PeerAddress, InetSocketAddress> reported = new HashMap<>();
    private final Set<PeerAddress> unresolved = new HashSet<>();
    private final HostResolver resolver;
    private ScheduledFuture<?> task;
    private volatile boolean closed;

    StaticSession(ScheduledExecutorService executor, HostResolver resolver, Supplier<List<PeerAddress>> configured,
            DiscoveryListener listener, Consumer<StaticSession> onClose) {
        this.executor = executor;
        this.resolver = resolver;
        this.configured = configured;
        this.listener = listener;
        this.onClose = onClose;
    }

    /** (Re)starts the periodic report, the first one at once. */
    synchronized void schedule(long intervalSeconds) {
        if (closed) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        try {
            task = executor.scheduleWithFixedDelay(this::report, 0, intervalSeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("static discovery is stopped", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
        onClose.accept(this);
    }

    private void report() {
        List<PeerAddress> current = configured.get();
        for (Iterator<Map.Entry<PeerAddress, InetSocketAddress>> it = reported.entrySet().iterator(); it.hasNext();) {
            Map.Entry<PeerAddress, InetSocketAddress> e = it.next();
            if (!current.contains(e.getKey())) {
                it.remove();
                notify(false, e.getValue());
            }
        }
        unresolved.retainAll(current);
        for (PeerAddress peer : current) {
            if (closed) {
                return;
            }
            InetSocketAddress address = resolve(peer);
            if (address == null) {
                continue;
            }
            InetSocketAddress previous = reported.put(peer, address);
            if (previous != null && !previous.equals(address)) {
                notify(false, previous);
            }
            notify(true, address);
        }
    }

    private InetSocketAddress resolve(PeerAddress peer) {
        try {
            InetSocketAddress address = new InetSocketAddress(resolver.resolve(peer.host()), peer.port());
            if (unresolved.remove(peer)) {
                LOG.info("Static peer {} resolves now: {}", peer, address);
            }
            return address;
        } catch (UnknownHostException | SecurityException e) {
            if (unresolved.add(peer)) {
                LOG.warn("Cannot resolve static peer {} ({}); will retry", peer, e.getMessage());
            }
            return reported.get(peer);
        }
    }

    private void notify(boolean found, InetSocketAddress address) {
        if (closed) {
            return;
        }
        DiscoveredPeer peer = new DiscoveredPeer(StaticDiscovery.NAME, address, null, -1);
        try {
            if (found) {
                listener.found(peer);
            } else {
                listener.lost(peer);
            }
        } catch (RuntimeException e) {
            LOG.warn("Discovery listener failed on {}", peer, e);
        }
    }
}
