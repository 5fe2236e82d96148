package io.lanspread.peer.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.service.cm.ConfigurationAdmin;
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

import io.lanspread.api.control.DownloadConflictException;
import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.LocalPeer;
import io.lanspread.api.download.DownloadManager;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.peer.LocalIdentity;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerServer;

/**
 * The orchestrator: runs every discovery backend, keeps the peer directory current and alive, tells the
 * other peers about this one (hello, library changes, goodbye), answers the UI's queries and commands, and
 * reports what changes to the event listeners. Immediate: it must run whether or not a UI holds it.
 * <p>
 * Reconfiguration never restarts it: its own intervals apply at once; when the QUIC server moves to another
 * port it introduces itself again to every known peer and updates the discovery backends, and a new name or
 * identity is advertised again, all while downloads run.
 */
@Component(name = LanspreadPeer.PID, service = PeerControl.class, immediate = true)
@Designate(ocd = LanspreadPeer.Config.class)
public final class LanspreadPeer implements PeerControl {

    static final String PID = "io.lanspread.peer";

    private static final Logger LOG = LoggerFactory.getLogger(LanspreadPeer.class);
    /** How long a clean stop waits, in all, for the peers to take our goodbye. */
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(1);
    /** The silence check never runs more often than this (a clock step must not make it spin). */
    private static final long MIN_DROP_DELAY_MILLIS = 100;

    @ObjectClassDefinition(name = "lanspread peer", description = "Discovery, peer liveness and commands")
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
    private final DownloadManager downloads;
    private final CatalogConfiguration catalog;
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
            @Reference(name = "downloads") DownloadManager downloads,
            @Reference(name = "configAdmin") ConfigurationAdmin configAdmin,
            @Reference(name = "notices") NoticeRelay notices,
            @Reference(name = "downloadEvents") DownloadEventRelay downloadEvents, Config config) {
        this.library = library;
        this.directory = directory;
        this.client = client;
        this.server = server;
        this.identity = identity;
        this.downloads = downloads;
        this.catalog = new CatalogConfiguration(configAdmin);
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

    // ---- queries

    @Override
    public PeerStatus status() {
        return new PeerStatus(identity.peerId(), identity.name(), server.localAddress().getPort(),
                library.gameDirectory(), server.servedBytes(), server.uplink());
    }

    @Override
    public List<PeerInfo> peers() {
        return directory.peers();
    }

    @Override
    public List<GameListing> games() {
        return GameListings.merge(library.games(), directory.games());
    }

    @Override
    public CompletionStage<GameDetails> game(String gameId) {
        Optional<GameListing> found = listing(gameId);
        if (found.isEmpty()) {
            return CompletableFuture.failedFuture(new GameNotFoundException(gameId));
        }
        GameListing listing = found.get();
        if (listing.local()) {
            try {
                return CompletableFuture.completedFuture(new GameDetails(listing, library.files(gameId)));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new UncheckedIOException(e));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return fetchFiles(gameId, holders(listing)).thenApply(fetched -> {
            events.post(new LanspreadEvent.GameFilesReceived(gameId, fetched.peer().peerId(), fetched.files()));
            return new GameDetails(listing, fetched.files());
        });
    }

    // ---- commands

    /**
     * Starts a download of the newest version; the download manager asks the holders for their manifests
     * and decides the content and the sources. An older installed version makes this an update.
     */
    @Override
    public CompletionStage<DownloadStatus> download(String gameId, String fromPeerId) {
        GameListing listing = listing(gameId).orElseThrow(() -> new GameNotFoundException(gameId));
        if (listing.local()) {
            throw new DownloadConflictException(DownloadConflictException.Reason.ALREADY_LOCAL,
                    "game " + gameId + " " + listing.game().version() + " is already here");
        }
        if (listing.peerIds().isEmpty()) {
            throw new GameNotFoundException(gameId);
        }
        Optional<DownloadStatus> existing = unended(gameId);
        if (existing.isPresent()) {
            throw alreadyDownloading(existing.get());
        }
        if (fromPeerId != null) {
            requireListedBy(fromPeerId, gameId);
        }
        try {
            return CompletableFuture.completedFuture(downloads.start(new DownloadRequest(gameId, null, fromPeerId)));
        } catch (IllegalStateException e) {
            throw new DownloadConflictException(DownloadConflictException.Reason.ALREADY_DOWNLOADING,
                    "game " + gameId + " is already being downloaded");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("game " + gameId + " cannot be downloaded: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean cancel(String downloadId) {
        return downloads.cancel(downloadId);
    }

    @Override
    public boolean resume(String downloadId) {
        return downloads.resume(downloadId);
    }

    @Override
    public boolean remove(String downloadId) {
        return downloads.remove(downloadId);
    }

    @Override
    public List<DownloadStatus> downloads() {
        return downloads.downloads();
    }

    @Override
    public PeerStatus setGameDirectory(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + absolute, e);
        }
        catalog.setGamesDirectory(absolute);
        LOG.info("Game directory set to {}", absolute);
        return new PeerStatus(identity.peerId(), identity.name(), server.localAddress().getPort(), absolute,
                server.servedBytes(), server.uplink());
    }

    // ---- internals

    private Optional<GameListing> listing(String gameId) {
        if (gameId == null || gameId.isEmpty()) {
            return Optional.empty();
        }
        return GameListings.find(gameId, library.game(gameId), directory.game(gameId));
    }

    /** The peers holding the listed version, the most recently seen first. */
    private List<PeerInfo> holders(GameListing listing) {
        return listing.peerIds().stream().map(directory::peer).flatMap(Optional::stream)
                .sorted(Comparator.comparing(PeerInfo::lastSeen).reversed()).toList();
    }

    /** Any download of the game that has not ended (running, waiting or interrupted). */
    private Optional<DownloadStatus> unended(String gameId) {
        return downloads.downloads().stream().filter(s -> s.gameId().equals(gameId) && !s.state().ended())
                .findFirst();
    }

    /** The peer the user chose must be known and list the game (at any version). */
    private void requireListedBy(String peerId, String gameId) {
        PeerInfo chosen = directory.peer(peerId).orElseThrow(() -> PeerLacksGameException.unknownPeer(peerId, gameId));
        if (chosen.games().stream().noneMatch(g -> g.id().equals(gameId))) {
            throw PeerLacksGameException.notListed(peerId, gameId);
        }
    }

    private static DownloadConflictException alreadyDownloading(DownloadStatus existing) {
        String sentence = existing.state() == DownloadState.INTERRUPTED
                ? "game " + existing.gameId() + " has an interrupted download " + existing.id()
                        + "; resume or cancel it"
                : "game " + existing.gameId() + " is already being downloaded (download " + existing.id() + ")";
        return new DownloadConflictException(DownloadConflictException.Reason.ALREADY_DOWNLOADING, sentence);
    }

    private record FetchedFiles(PeerInfo peer, List<GameFile> files) {
    }

    /** Asks each holder in turn for the file tree; fails with the last peer's error. */
    private CompletableFuture<FetchedFiles> fetchFiles(String gameId, List<PeerInfo> holders) {
        return fetchFiles(gameId, holders, 0, null);
    }

    private CompletableFuture<FetchedFiles> fetchFiles(String gameId, List<PeerInfo> holders, int index,
            Throwable last) {
        if (index >= holders.size()) {
            return CompletableFuture.failedFuture(last != null ? last : new GameNotFoundException(gameId));
        }
        PeerInfo peer = holders.get(index);
        CompletableFuture<List<GameFile>> answer;
        try {
            answer = client.getGame(peer.address(), gameId).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((files, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(new FetchedFiles(peer, files));
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            LOG.debug("Peer {} could not list the files of {}: {}", peer.peerId(), gameId, cause.toString());
            return fetchFiles(gameId, holders, index + 1, cause);
        }).thenCompose(f -> f);
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
