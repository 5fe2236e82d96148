package io.lanspread.peer.internal;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

/**
 * One running session per bound discovery backend. Sessions are started, updated and closed on one
 * thread of their own, in the order asked: a backend's {@code start} may take its time (a third-party
 * backend may even call the network) without holding up the orchestrator's activation, which is where
 * DS binds the backends present at start-up. A stop waits, briefly, for its turn, so that an unbound
 * backend is normally closed when its unbind returns.
 */
final class DiscoverySessions {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoverySessions.class);
    /** How long an unbind or the orchestrator's deactivation waits for the sessions' thread. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final Supplier<LocalPeer> self;
    private final DiscoveryListener listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lanspread-peer-discovery");
        t.setDaemon(true);
        return t;
    });
    private final Map<DiscoveryBackend, DiscoverySession> sessions = new IdentityHashMap<>(); // thread only

    DiscoverySessions(Supplier<LocalPeer> self, DiscoveryListener listener) {
        this.self = self;
        this.listener = listener;
    }

    /** Starts a session of {@code backend} soon, on the sessions' thread. */
    void start(DiscoveryBackend backend) {
        run(() -> {
            if (sessions.containsKey(backend)) {
                return;
            }
            try {
                sessions.put(backend, backend.start(self.get(), listener));
                LOG.info("Discovery backend '{}' started", safeName(backend));
            } catch (Exception e) {
                LOG.warn("Discovery backend '{}' failed to start", safeName(backend), e);
            }
        });
    }

    /** Closes the backend's session, after a start still queued or running; waits up to {@link #STOP_WAIT}. */
    void stop(DiscoveryBackend backend) {
        await(run(() -> {
            DiscoverySession session = sessions.remove(backend);
            if (session != null) {
                close(backend, session);
            }
        }), "stopping discovery backend '" + safeName(backend) + "'");
    }

    void update(LocalPeer peer) {
        run(() -> sessions.forEach((backend, session) -> {
            try {
                session.update(peer);
            } catch (RuntimeException e) {
                LOG.warn("Discovery backend '{}' failed to update", safeName(backend), e);
            }
        }));
    }

    /** Closes every session and ends the sessions' thread; nothing starts afterwards. */
    void closeAll() {
        Future<?> closing = run(() -> List.copyOf(sessions.keySet()).forEach(backend -> close(backend,
                sessions.remove(backend))));
        thread.shutdown();
        await(closing, "closing the discovery sessions");
        thread.shutdownNow();
    }

    private Future<?> run(Runnable task) {
        try {
            return thread.submit(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Stopped; skipping a discovery task");
            return null;
        }
    }

    private static void await(Future<?> task, String what) {
        if (task == null) {
            return;
        }
        try {
            task.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} takes longer than {} s; it goes on in the background", what, STOP_WAIT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("{} failed", what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
