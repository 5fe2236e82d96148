package io.lanspread.peer.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.control.PeerControl;
import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.LocalPeer;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.peer.LocalIdentity;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerServer;

/**
 * The orchestrator: runs every discovery backend, keeps the peer directory current and alive, tells the
 * other peers about this one (hello, library changes, goodbye), and reports what changes to the event
 * listeners. Immediate: it must run whether or not a UI holds it. The UI's queries and commands are {@link
 * PeerCommands}, the {@link io.lanspread.api.control.PeerControl} service.
 * <p>
 * Reconfiguration never restarts it: its own intervals apply at once; when the QUIC server moves to another
 * port it introduces itself again to every known peer and updates the discovery backends, and a new name or
 * identity is advertised again, all while downloads run.
 */
@Component(name = LanspreadPeer.PID, service = {}, immediate = true)
@Designate(ocd = LanspreadPeer.Config.class)
public final class LanspreadPeer {

    static final String PID = "io.lanspread.peer";

    private static final Logger LOG = LoggerFactory.getLogger(LanspreadPeer.class);
    /** How long a clean stop waits, in all, for the peers to take our goodbye. */
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(1);
    /** The silence check never runs more often than this (a clock step must not make it spin). */
    private static final long MIN_DROP_DELAY_MILLIS = 100;

    @ObjectClassDefinition(name = "lanspread peer", description = "Discovery and peer liveness")
    public @interface Config {
        @AttributeDefinition(description = "How often every known peer is pinged, in seconds")
        long ping_interval_seconds() default 10;

        @AttributeDefinition(description = "A peer silent for this long, in seconds, is dropped")
        long peer_timeout_seconds() default 30;
    }

    private final LocalLibrary library;
    private final PeerDirectory directory;
    private final PeerClient client;
    private final PeerServer server;
    private final LocalIdentity identity;
    private final EventDispatcher events = new EventDispatcher();
    private final ScheduledExecutorService scheduler;
    private final PeerTracker tracker;
    private final DiscoverySessions discovery;
    private final PeerAnnouncer announcer;
    private final NoticeRelay notices;
    private final NoticeRelay.Target noticeTarget;
    private final DownloadEventRelay downloadEvents;
    private final Consumer<LanspreadEvent> downloadEventTarget = events::post;
    private volatile Duration peerTimeout;
    private ScheduledFuture<?> ticking; // guarded by this
    private long advertisedRevision;
    private int advertisedPort; // scheduler thread only
    private LocalPeer advertisedPeer; // scheduler thread only

    @Activate
    public LanspreadPeer(@Reference(name = "library") LocalLibrary library,
            @Reference(name = "directory") PeerDirectory directory, @Reference(name = "client") PeerClient client,
            @Reference(name = "server", bind = "bindServer", updated = "serverUpdated") PeerServer server,
            @Reference(name = "identity", bind = "bindIdentity", updated = "identityUpdated") LocalIdentity identity,
            @Reference(name = "notices") NoticeRelay notices,
            @Reference(name = "downloadEvents") DownloadEventRelay downloadEvents, Config config) {
        this.library = library;
        this.directory = directory;
        this.client = client;
        this.server = server;
        this.identity = identity;
        Duration interval = Duration.ofSeconds(Math.max(1, config.ping_interval_seconds()));
        Duration timeout = Duration.ofSeconds(Math.max(1, config.peer_timeout_seconds()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lanspread-peer");
            t.setDaemon(true);
            return t;
        });
        this.tracker = new PeerTracker(identity, server, client, directory, library::revision, events::post,
                scheduler, interval, timeout);
        this.discovery = new DiscoverySessions(this::localPeer, tracker);
        this.announcer = new PeerAnnouncer(client, directory);
        this.advertisedRevision = library.revision();
        this.advertisedPort = server.localAddress().getPort();
        scheduleTicks(interval);
        this.peerTimeout = timeout;
        scheduleDropSilent(timeout);
        this.notices = notices;
        this.noticeTarget = new NoticeRelay.Target(tracker, revision -> runOnScheduler(this::advertiseIfChanged));
        notices.attach(noticeTarget);
        this.downloadEvents = downloadEvents;
    }

    /**
     * Called by DS after the constructor and after the event listeners present now are bound (DS 1.4
     * activation order), so that none of them misses the download events the relay held, such as those of
     * downloads the manager resumed after a restart.
     */
    @Activate
    void reportDownloads() {
        downloadEvents.attach(downloadEventTarget);
    }

    /** New intervals apply at once: the next liveness round comes one new interval from now. */
    @Modified
    void modified(Config config) {
        Duration interval = Duration.ofSeconds(Math.max(1, config.ping_interval_seconds()));
        Duration timeout = Duration.ofSeconds(Math.max(1, config.peer_timeout_seconds()));
        tracker.retime(interval, timeout);
        peerTimeout = timeout;
        scheduleTicks(interval);
    }

    private synchronized void scheduleTicks(Duration interval) {
        if (ticking != null) {
            ticking.cancel(false);
        }
        try {
            ticking = scheduler.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Stopped; no more liveness rounds");
        }
    }

    /**
     * Nothing to do: the constructor has the server. Felix SCR calls a reference's updated method only when
     * the reference also names a bind method.
     */
    void bindServer(PeerServer bound) {
        // the constructor took it
    }

    /** Nothing to do: the constructor has the identity (see {@link #bindServer}). */
    void bindIdentity(LocalIdentity bound) {
        // the constructor took it
    }

    /**
     * The server's configuration changed (called by DS after the server applied it): when it listens on
     * another port now, every known peer is told at once, so that their downloads from here continue there.
     */
    void serverUpdated(PeerServer changed) {
        runOnScheduler(this::announceIfMoved);
    }

    /** The identity's configuration changed: the discovery backends advertise the new name or id. */
    void identityUpdated(LocalIdentity changed) {
        runOnScheduler(() -> {
            LocalPeer now = localPeer();
            if (!now.equals(advertisedPeer)) {
                advertisedPeer = now;
                discovery.update(now);
            }
        });
    }

    private void announceIfMoved() {
        int port = server.localAddress().getPort();
        if (port != advertisedPort) {
            advertisedPort = port;
            LOG.info("QUIC server moved to port {}; telling the known peers", port);
            announcer.hello(port, library.revision());
            advertisedPeer = localPeer();
            discovery.update(advertisedPeer);
        }
    }

    @Deactivate
    void deactivate() {
        notices.detach(noticeTarget);
        downloadEvents.detach(downloadEventTarget);
        announcer.goodbye(GOODBYE_WAIT);
        discovery.closeAll();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
    }

    @Reference(name = "discovery", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindDiscoveryBackend")
    void bindDiscoveryBackend(DiscoveryBackend backend) {
        discovery.start(backend);
    }

    void unbindDiscoveryBackend(DiscoveryBackend backend) {
        discovery.stop(backend);
    }

    @Reference(name = "listeners", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeEventListener")
    void addEventListener(LanspreadEventListener listener) {
        events.add(listener);
    }

    void removeEventListener(LanspreadEventListener listener) {
        events.remove(listener);
    }

    /**
     * One timer, set for the moment the earliest peer would time out (a peer seen since moves that later),
     * instead of a check every second: a silent peer is still dropped right at its timeout.
     */
    private void dropSilent() {
        Duration next = peerTimeout;
        try {
            next = tracker.dropSilent();
        } catch (RuntimeException e) {
            LOG.warn("Dropping silent peers failed", e);
        } finally {
            scheduleDropSilent(next);
        }
    }

    private void scheduleDropSilent(Duration delay) {
        long millis = Math.max(MIN_DROP_DELAY_MILLIS, delay.toMillis() + 1);
        try {
            scheduler.schedule(this::dropSilent, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Stopped; no more silence checks");
        }
    }

    private void tick() {
        try {
            tracker.tick();
            advertiseIfChanged();
        } catch (RuntimeException e) {
            LOG.warn("Liveness round failed", e);
        }
    }

    /** Tells the peers and the discovery backends when the library moved; call on the scheduler. */
    private void advertiseIfChanged() {
        long revision = library.revision();
        if (revision != advertisedRevision) {
            advertisedRevision = revision;
            announcer.libraryChanged(revision);
            discovery.update(localPeer());
        }
    }

    private void runOnScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Stopped; skipping a task");
        }
    }

    LocalPeer localPeer() {
        return new LocalPeer(identity.peerId(), identity.name(), server.localAddress().getPort(),
                identity.certificateFingerprint(), library.revision(), server.protocolVersion());
    }
}
