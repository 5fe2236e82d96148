package io.lanspread.bridge.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import io.lanspread.api.peer.PeerInfo;

/** What {@code lanspread:peers} answers: every peer this one knows, by name. */
public record PeerTable(List<PeerInfo> peers, Instant now) {

    static final String NONE = "No peer found yet. Where multicast does not pass, start with --peer HOST:PORT.";

    public PeerTable {
        peers = peers.stream().sorted(Comparator.comparing(PeerInfo::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    @Override
    public String toString() {
        if (peers.isEmpty()) {
            return NONE;
        }
        TextTable table = new TextTable("NAME", "ADDRESS", "GAMES", "SEEN", "PEER ID");
        for (PeerInfo p : peers) {
            String seen = p.lastSeen() == null ? null
                    : Units.duration(Duration.between(p.lastSeen(), now)) + " ago";
            String address = p.address() == null ? null
                    : p.address().getHostString() + ":" + p.address().getPort();
            table.row(p.name(), address, String.valueOf(p.games().size()), seen, p.peerId());
        }
        return table.toString();
    }
}
