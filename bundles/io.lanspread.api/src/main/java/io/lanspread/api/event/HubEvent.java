package io.lanspread.api.event;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.Game;
import io.lanspread.api.peer.PeerInfo;

/**
 * One event as the {@link EventHub} delivers it. {@link #id()} is {@code <boot id>-<sequence>}: the boot id
 * is new every time the hub starts, so an id never means two different events, even across restarts; a
 * client keeps the last id it saw and hands it back to resume ({@code Last-Event-ID}). Sequences of one run
 * grow by one per event, so a gap means a lost event.
 */
public sealed interface HubEvent {

    /** {@code <boot id>-<sequence>}; for a snapshot, the id of the last event it covers. */
    String id();

    /** For a snapshot, the sequence of the last event it covers (0 when there was none). */
    long sequence();

    /** When the hub numbered the event (or took the snapshot). */
    Instant time();

    /**
     * A short name for the kind of event, fit as an SSE {@code event:} field: {@code snapshot},
     * {@code library-changed}, or the reported event's class in lower case with dashes
     * ({@code peer-discovered}, {@code download-progress}, ...).
     */
    String type();

    /** A peer or download event the runtime reported ({@link LanspreadEventListener}). */
    record Reported(String id, long sequence, Instant time, LanspreadEvent event) implements HubEvent {
        @Override
        public String type() {
            return dashed(event.getClass().getSimpleName());
        }
    }

    /**
     * This peer's own library changed (a game added, removed, or at a new version).
     *
     * @param revision the library's revision ({@link io.lanspread.api.game.LocalLibrary#revision()})
     * @param games    the complete local games now, sorted by id
     */
    record LibraryChanged(String id, long sequence, Instant time, long revision, List<Game> games)
            implements HubEvent {
        public LibraryChanged {
            games = List.copyOf(games);
        }

        @Override
        public String type() {
            return "library-changed";
        }
    }

    /**
     * Everything a UI shows, for a subscriber that cannot be given the events it missed. It reflects at least
     * every event up to {@link #sequence()}; events after it may repeat a change it already shows. Each event
     * carries the whole new state of what it is about (a peer, its games, a download), so applying them in
     * order ends in the right state.
     *
     * @param status    this peer; null while the runtime is still starting
     * @param peers     the peers known now, with their games
     * @param library   this peer's complete local games
     * @param games     local and remote games merged by id, as {@link io.lanspread.api.control.PeerControl#games()}
     * @param downloads every download of this session
     */
    record Snapshot(String id, long sequence, Instant time, SnapshotReason reason, PeerStatus status,
            List<PeerInfo> peers, List<Game> library, List<GameListing> games, List<DownloadStatus> downloads)
            implements HubEvent {
        public Snapshot {
            peers = List.copyOf(peers);
            library = List.copyOf(library);
            games = List.copyOf(games);
            downloads = List.copyOf(downloads);
        }

        @Override
        public String type() {
            return "snapshot";
        }
    }

    private static String dashed(String className) {
        return className.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
