package io.lanspread.bridge.http.internal;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.peer.PeerInfo;

/** The API's JSON shapes, built from the API records. Field names here are the HTTP contract. */
final class Views {

    private Views() {
    }

    static Map<String, Object> status(PeerStatus status, int httpPort) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peerId", status.peerId());
        m.put("name", status.name());
        m.put("quicPort", status.quicPort());
        m.put("httpPort", httpPort);
        m.put("gamesDir", status.gamesDir() == null ? null : status.gamesDir().toAbsolutePath().toString());
        m.put("servedBytes", status.servedBytes());
        Map<String, Object> uplink = new LinkedHashMap<>();
        uplink.put("maxRequestsPerPeer", status.uplink().maxRequestsPerPeer());
        uplink.put("maxRequests", status.uplink().maxRequests());
        uplink.put("serving", status.uplink().serving());
        uplink.put("waiting", status.uplink().waiting());
        m.put("uplink", uplink);
        return m;
    }

    static Map<String, Object> peer(PeerInfo peer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peerId", peer.peerId());
        m.put("name", peer.name());
        m.put("address", address(peer.address()));
        m.put("lastSeen", peer.lastSeen() == null ? null : peer.lastSeen().toString());
        m.put("gameCount", peer.games().size());
        return m;
    }

    static Map<String, Object> game(GameListing listing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", listing.game().id());
        m.put("name", listing.game().name());
        m.put("version", listing.game().version());
        m.put("size", listing.game().size());
        m.put("local", listing.local());
        m.put("installedVersion", listing.installedVersion());
        m.put("updateAvailable", listing.updateAvailable());
        m.put("peers", listing.peerIds());
        return m;
    }

    static Map<String, Object> details(GameDetails details) {
        Map<String, Object> m = game(details.listing());
        m.put("files", details.files().stream().map(Views::file).toList());
        return m;
    }

    static Map<String, Object> download(DownloadStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", status.id());
        m.put("gameId", status.gameId());
        m.put("version", status.version());
        m.put("state", status.state() == null ? null : status.state().name());
        m.put("downloadedBytes", status.downloadedBytes());
        m.put("totalBytes", status.totalBytes());
        m.put("fetchedBytes", status.fetchedBytes());
        m.put("reusedBytes", status.reusedBytes());
        m.put("sharedBytes", status.sharedBytes());
        m.put("bytesPerSecond", status.bytesPerSecond());
        m.put("activePeers", status.activePeers());
        m.put("sources", status.sources());
        m.put("notes", status.notes());
        m.put("error", status.error());
        return m;
    }

    static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    static <T> List<Map<String, Object>> all(List<T> items, java.util.function.Function<T, Map<String, Object>> view) {
        return items.stream().map(view).toList();
    }

    private static Map<String, Object> file(GameFile file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", file.path());
        m.put("size", file.size());
        m.put("dir", file.directory());
        return m;
    }

    /** {@code host:port}, with brackets around an IPv6 literal; never a reverse lookup. */
    static String address(InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
