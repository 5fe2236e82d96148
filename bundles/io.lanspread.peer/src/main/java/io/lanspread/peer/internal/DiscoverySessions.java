package io.lanspread.peer.internal;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

/** One running session per bound discovery backend. */
final class DiscoverySessions {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoverySessions.class);

    private final Supplier<LocalPeer> self;
    private final DiscoveryListener listener;
    private final Map<DiscoveryBackend, DiscoverySession> sessions = new IdentityHashMap<>();
    private boolean closed;

    DiscoverySessions(Supplier<LocalPeer> self, DiscoveryListener listener) {
        this.self = self;
        this.listener = listener;
    }

    synchronized void start(DiscoveryBackend backend) {
        if (closed || sessions.containsKey(backend)) {
            return;
        }
        try {
            sessions.put(backend, backend.start(self.get(), listener));
            LOG.info("Discovery backend '{}' started", safeName(backend));
        } catch (Exception e) {
            LOG.warn("Discovery backend '{}' failed to start", safeName(backend), e);
        }
    }

    synchronized void stop(DiscoveryBackend backend) {
        DiscoverySession session = sessions.remove(backend);
        if (session != null) {
            close(backend, session);
        }
    }

    synchronized void update(LocalPeer peer) {
        sessions.forEach((backend, session) -> {
            try {
                session.update(peer);
            } catch (RuntimeException e) {
                LOG.warn("Discovery backend '{}' failed to update", safeName(backend), e);
            }
        });
    }

    synchronized void closeAll() {
        closed = true;
        List.copyOf(sessions.keySet()).forEach(this::stop);
    }

    private static void close(DiscoveryBackend backend, DiscoverySession session) {
        try {
            session.close();
            LOG.info("Discovery backend '{}' stopped", safeName(backend));
        } catch (RuntimeException e) {
            LOG.warn("Discovery backend '{}' failed to stop", safeName(backend), e);
        }
    }

    private static String safeName(DiscoveryBackend backend) {
        try {
            return backend.name();
        } catch (RuntimeException e) {
            return backend.getClass().getName();
        }
    }
}
