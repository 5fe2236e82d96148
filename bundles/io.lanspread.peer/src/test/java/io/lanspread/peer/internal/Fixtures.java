package io.lanspread.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;
import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadManager;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.peer.LocalIdentity;
import io.lanspread.api.transport.PeerServer;

/** Small stand-ins for the services the orchestrator references. */
final class Fixtures {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    private Fixtures() {
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < end).as("waiting for: " + what).isTrue();
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    static LanspreadPeer.Config config(long pingSeconds, long timeoutSeconds) {
        return new LanspreadPeer.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LanspreadPeer.Config.class;
            }

            @Override
            public long ping_interval_seconds() {
                return pingSeconds;
            }

            @Override
            public long peer_timeout_seconds() {
                return timeoutSeconds;
            }
        };
    }

    record Identity(String peerId, String name, String certificateFingerprint) implements LocalIdentity {
    }

    static final class Server implements PeerServer {
        /** Set by a test to play a server that moved to another port. */
        volatile InetSocketAddress localAddress;
        private final int protocolVersion;
        final AtomicLong servedBytes = new AtomicLong();

        Server(InetSocketAddress localAddress, int protocolVersion) {
            this.localAddress = localAddress;
            this.protocolVersion = protocolVersion;
        }

        @Override
        public InetSocketAddress localAddress() {
            return localAddress;
        }

        @Override
        public int protocolVersion() {
            return protocolVersion;
        }

        @Override
        public long servedBytes() {
            return servedBytes.get();
        }
    }

    static final class Library implements LocalLibrary {
        volatile Path directory = Path.of("games").toAbsolutePath();
        final Map<String, Game> games = new ConcurrentHashMap<>();
        final Map<String, List<GameFile>> files = new ConcurrentHashMap<>();
        final AtomicLong revision = new AtomicLong(1);
        final AtomicInteger rescans = new AtomicInteger();

        void add(Game game, GameFile... tree) {
            games.put(game.id(), game);
            files.put(game.id(), List.of(tree));
            revision.incrementAndGet();
        }

        @Override
        public Path gameDirectory() {
            return directory;
        }

        @Override
        public List<Game> games() {
            return games.values().stream().sorted(java.util.Comparator.comparing(Game::id)).toList();
        }

        @Override
        public Optional<Game> game(String gameId) {
            return Optional.ofNullable(games.get(gameId));
        }

        @Override
        public List<GameFile> files(String gameId) throws IOException {
            List<GameFile> f = files.get(gameId);
            if (f == null) {
                throw new GameNotFoundException(gameId);
            }
            return f;
        }

        @Override
        public Path resolve(String gameId, String relativePath) {
            return directory.resolve(gameId).resolve(relativePath);
        }

        @Override
        public Optional<GameManifest> manifest(String gameId) {
            return Optional.empty();
        }

        @Override
        public boolean isUnchanged(String gameId, String path) {
            return false;
        }

        @Override
        public long revision() {
            return revision.get();
        }

        @Override
        public void rescan() {
            rescans.incrementAndGet();
        }
    }

    /**
     * A download manager that starts nothing: it records the requests, keeps the statuses the test sets,
     * and reports to its listener whiteboard (the test adds listeners) the way the real one does.
     */
    static final class Downloads implements DownloadManager {
        final List<DownloadStatus> statuses = new CopyOnWriteArrayList<>();
        final List<DownloadRequest> requests = new CopyOnWriteArrayList<>();
        final List<DownloadListener> listeners = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile RuntimeException failStart;

        static DownloadStatus status(String id, String gameId, DownloadState state) {
            return new DownloadStatus(id, gameId, null, state, 0, 0, 0, 0, 0, 0, 0, List.of(), null);
        }

        @Override
        public DownloadStatus start(DownloadRequest request) {
            if (failStart != null) {
                throw failStart;
            }
            DownloadStatus status = status("d" + (statuses.size() + 1), request.gameId(), DownloadState.RUNNING);
            requests.add(request);
            statuses.add(status);
            listeners.forEach(l -> l.begin(status));
            return status;
        }

        @Override
        public boolean cancel(String downloadId) {
            calls.add("cancel " + downloadId);
            return download(downloadId).filter(s -> !s.state().ended()).isPresent();
        }

        @Override
        public boolean resume(String downloadId) {
            calls.add("resume " + downloadId);
            return download(downloadId).filter(s -> s.state() == DownloadState.INTERRUPTED).isPresent();
        }

        @Override
        public boolean remove(String downloadId) {
            calls.add("remove " + downloadId);
            return download(downloadId).filter(s -> s.state().ended()).isPresent();
        }

        @Override
        public List<DownloadStatus> downloads() {
            return List.copyOf(statuses);
        }

        @Override
        public Optional<DownloadStatus> download(String downloadId) {
            return statuses.stream().filter(s -> s.id().equals(downloadId)).findFirst();
        }
    }

    static final class Backend implements DiscoveryBackend {
        final String name;
        volatile DiscoveryListener listener;
        volatile LocalPeer self;
        final List<LocalPeer> updates = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile long closedAt;
        /** When set, start() waits for it first (a backend that takes long to start). */
        volatile java.util.concurrent.CountDownLatch startGate;

        Backend(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public DiscoverySession start(LocalPeer self, DiscoveryListener listener) {
            java.util.concurrent.CountDownLatch gate = startGate;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            this.self = self;
            this.listener = listener;
            return new DiscoverySession() {
                @Override
                public void update(LocalPeer peer) {
                    updates.add(peer);
                }

                @Override
                public void close() {
                    closedAt = System.nanoTime();
                    closed = true;
                }
            };
        }
    }

    static final class Events implements LanspreadEventListener {
        final BlockingQueue<LanspreadEvent> queue = new LinkedBlockingQueue<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(LanspreadEvent event) {
            threads.add(Thread.currentThread().getName());
            queue.add(event);
        }

        /** The next event matching {@code wanted}; fails after the deadline. Skipped events are returned too. */
        <T extends LanspreadEvent> T next(Class<T> type, Predicate<T> wanted, List<LanspreadEvent> skipped)
                throws InterruptedException {
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                LanspreadEvent e = queue.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(e).as("a %s before the deadline (skipped %s)", type.getSimpleName(), skipped).isNotNull();
                if (type.isInstance(e) && wanted.test(type.cast(e))) {
                    return type.cast(e);
                }
                skipped.add(e);
            }
        }

        <T extends LanspreadEvent> T next(Class<T> type, Predicate<T> wanted) throws InterruptedException {
            return next(type, wanted, new ArrayList<>());
        }

        LanspreadEvent take() throws InterruptedException {
            LanspreadEvent e = queue.poll(DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
            assertThat(e).as("an event before the deadline").isNotNull();
            return e;
        }
    }

    /** A ConfigurationAdmin holding configurations in memory. */
    static final class ConfigAdmin {
        final Map<String, Dictionary<String, Object>> stored = new ConcurrentHashMap<>();
        final List<String> locations = new CopyOnWriteArrayList<>();

        ConfigurationAdmin service() {
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { ConfigurationAdmin.class }, (proxy, method, args) -> {
                        if (method.getName().equals("getConfiguration")) {
                            String pid = (String) args[0];
                            locations.add(args.length > 1 ? (String) args[1] : null);
                            return configuration(pid);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        private Configuration configuration(String pid) {
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { Configuration.class }, (proxy, method, args) -> {
                        switch (method.getName()) {
                        case "getPid":
                            return pid;
                        case "getProperties":
                            Dictionary<String, Object> d = stored.get(pid);
                            return d == null ? null : copy(d);
                        case "update":
                            if (args != null && args.length == 1) {
                                @SuppressWarnings("unchecked")
                                Dictionary<String, Object> props = (Dictionary<String, Object>) args[0];
                                stored.put(pid, copy(props));
                                return null;
                            }
                            throw new UnsupportedOperationException("update()");
                        default:
                            throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
            Hashtable<String, Object> c = new Hashtable<>();
            for (var keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                c.put(k, d.get(k));
            }
            return c;
        }
    }
}
