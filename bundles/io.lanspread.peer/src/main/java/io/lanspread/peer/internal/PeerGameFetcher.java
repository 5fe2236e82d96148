package io.lanspread.peer.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.game.Game;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerClient;

/**
 * Keeps each known peer's game list in the directory at the library revision the peer last announced: one
 * fetch per peer at a time, and one more after it when a newer revision was announced meanwhile.
 *
 * <p>Runs on the tracker's thread (the executor given), like the tracker itself.
 */
final class PeerGameFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(PeerGameFetcher.class);

    private final PeerClient client;
    private final PeerDirectory directory;
    private final Consumer<LanspreadEvent> events;
    private final Executor executor;
    private final Supplier<Duration> timeout;

    private final Set<String> fetching = new HashSet<>();
    /** A newer revision announced while the peer's games were being fetched: fetch again after. */
    private final Map<String, Long> fetchAgain = new HashMap<>();
    /** The library revision each peer's stored game list belongs to. */
    private final Map<String, Long> revisions = new HashMap<>();

    PeerGameFetcher(PeerClient client, PeerDirectory directory, Consumer<LanspreadEvent> events, Executor executor,
            Supplier<Duration> timeout) {
        this.client = client;
        this.directory = directory;
        this.events = events;
        this.executor = executor;
        this.timeout = timeout;
    }

    /** Whether the stored game list of this peer belongs to another revision than {@code revision}. */
    boolean isStale(String peerId, long revision) {
        return !Objects.equals(revisions.get(peerId), revision);
    }

    /** Fetches the peer's games unless the stored list already is of that revision. */
    void refreshIfStale(PeerInfo peer, long revision) {
        if (isStale(peer.peerId(), revision)) {
            fetch(peer, revision);
        }
    }

    /** Fetches the peer's games; a failure leaves the revision stale, so the next hello tries again. */
    void fetch(PeerInfo peer, long revision) {
        String peerId = peer.peerId();
        if (!fetching.add(peerId)) {
            fetchAgain.put(peerId, revision);
            return;
        }
        CompletableFuture<List<Game>> games = PeerRequests.bounded(() -> client.listGames(peer.address()),
                timeout.get());
        games.whenCompleteAsync((list, error) -> {
            fetching.remove(peerId);
            Long again = fetchAgain.remove(peerId);
            if (error != null || list == null) {
                LOG.debug("Could not fetch the games of {}: {}", peerId, PeerRequests.message(error));
                return;
            }
            Optional<PeerInfo> current = directory.peer(peerId);
            if (current.isEmpty() || !directory.updateGames(peerId, list)) {
                return;
            }
            revisions.put(peerId, revision);
            if (!Set.copyOf(current.get().games()).equals(Set.copyOf(list))) {
                events.accept(new LanspreadEvent.GameListUpdated(peerId, current.get().name(), list));
            }
            if (again != null && again != revision) {
                fetch(current.get(), again);
            }
        }, executor);
    }

    /** The peer is gone: what was known of its revisions goes with it. */
    void forget(String peerId) {
        revisions.remove(peerId);
        fetchAgain.remove(peerId);
    }
}
