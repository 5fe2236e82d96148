package io.lanspread.peer.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.control.DownloadConflictException;
import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.control.PeerStatus;
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
 * The control service the HTTP API, the page and the shell all call: this peer's status, the peers and games
 * the orchestrator ({@link LanspreadPeer}) keeps in the directory, a game's files, and the download commands.
 * It only reads the directory and the library and hands commands to the download manager; discovery and
 * liveness are the orchestrator's.
 */
@Component(name = PeerCommands.NAME, service = PeerControl.class)
public final class PeerCommands implements PeerControl {

    static final String NAME = "io.lanspread.peer.control";

    private static final Logger LOG = LoggerFactory.getLogger(PeerCommands.class);

    private final LocalLibrary library;
    private final PeerDirectory directory;
    private final PeerClient client;
    private final PeerServer server;
    private final LocalIdentity identity;
    private final DownloadManager downloads;
    private final CatalogConfiguration catalog;
    private final EventDispatcher events = new EventDispatcher();

    @Activate
    public PeerCommands(@Reference(name = "library") LocalLibrary library,
            @Reference(name = "directory") PeerDirectory directory, @Reference(name = "client") PeerClient client,
            @Reference(name = "server") PeerServer server, @Reference(name = "identity") LocalIdentity identity,
            @Reference(name = "downloads") DownloadManager downloads,
            @Reference(name = "configAdmin") ConfigurationAdmin configAdmin) {
        this.library = library;
        this.directory = directory;
        this.client = client;
        this.server = server;
        this.identity = identity;
        this.downloads = downloads;
        this.catalog = new CatalogConfiguration(configAdmin);
    }

    @Deactivate
    void deactivate() {
        events.close();
    }

    /** A game's files fetched from a peer are reported to the event listeners. */
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
        if (listing.local() || justInstalled(gameId, listing.game().version())) {
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

    /**
     * Whether a download of this version finished and its folder is in the games folder: the library lists it
     * only after its next walk, a moment later, and until then it must not be fetched a second time.
     */
    private boolean justInstalled(String gameId, String version) {
        return downloads.downloads().stream().anyMatch(s -> s.gameId().equals(gameId)
                && s.state() == DownloadState.FINISHED && version.equals(s.version()))
                && Files.isDirectory(library.gameDirectory().resolve(gameId));
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
}
