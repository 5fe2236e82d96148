package io.lanspread.bridge.http.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.game.Game;

/**
 * The JSON of each event on {@code /api/events}, in the API's shapes ({@link Views}). An event carries the
 * whole new state of what it is about: a peer's game-list change and a library change also carry the merged
 * game listing as it is now, so a page never has to ask for it. The README lists every type.
 */
final class SseViews {

    private final Supplier<PeerControl> control;
    private final int httpPort;

    SseViews(Supplier<PeerControl> control, int httpPort) {
        this.control = control;
        this.httpPort = httpPort;
    }

    Map<String, Object> of(HubEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (event instanceof HubEvent.Snapshot s) {
            m.put("reason", s.reason() == null ? null : s.reason().name());
            m.put("status", s.status() == null ? null : Views.status(s.status(), httpPort));
            m.put("peers", Views.all(s.peers(), Views::peer));
            m.put("games", Views.all(s.games(), Views::game));
            m.put("downloads", Views.all(s.downloads(), Views::download));
        } else if (event instanceof HubEvent.LibraryChanged c) {
            m.put("revision", c.revision());
            m.put("library", c.games().stream().map(SseViews::game).toList());
            m.put("games", games());
        } else if (event instanceof HubEvent.Reported r) {
            reported(r.event(), m);
        }
        m.put("time", event.time() == null ? null : event.time().toString());
        return m;
    }

    private void reported(LanspreadEvent event, Map<String, Object> m) {
        if (event instanceof LanspreadEvent.PeerDiscovered e) {
            m.put("peer", Views.peer(e.peer()));
        } else if (event instanceof LanspreadEvent.PeerLost e) {
            m.put("peerId", e.peerId());
            m.put("name", e.name());
            m.put("games", games());
        } else if (event instanceof LanspreadEvent.GameListUpdated e) {
            m.put("peerId", e.peerId());
            m.put("name", e.name());
            m.put("gameCount", e.games().size());
            m.put("games", games());
        } else if (event instanceof LanspreadEvent.GameFilesReceived e) {
            m.put("gameId", e.gameId());
            m.put("peerId", e.peerId());
            m.put("fileCount", e.files().size());
        } else if (event instanceof LanspreadEvent.DownloadBegin e) {
            m.put("download", Views.download(e.status()));
        } else if (event instanceof LanspreadEvent.DownloadProgress e) {
            m.put("download", Views.download(e.status()));
        } else if (event instanceof LanspreadEvent.DownloadFinished e) {
            m.put("download", Views.download(e.status()));
            m.put("games", games());
        } else if (event instanceof LanspreadEvent.DownloadFailed e) {
            m.put("download", Views.download(e.status()));
        } else if (event instanceof LanspreadEvent.DownloadCancelled e) {
            m.put("download", Views.download(e.status()));
        }
    }

    /** The merged listing now, or null while the control service is not there. */
    private List<Map<String, Object>> games() {
        PeerControl c = control.get();
        if (c == null) {
            return null;
        }
        List<GameListing> listings = c.games();
        return Views.all(listings, Views::game);
    }

    private static Map<String, Object> game(Game game) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", game.id());
        m.put("name", game.name());
        m.put("version", game.version());
        m.put("size", game.size());
        return m;
    }
}
