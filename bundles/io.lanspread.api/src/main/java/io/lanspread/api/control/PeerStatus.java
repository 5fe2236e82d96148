package io.lanspread.api.control;

import java.nio.file.Path;

import io.lanspread.api.transport.UplinkStatus;

/**
 * This peer: who it is, where it listens, what it serves.
 *
 * @param servedBytes file bytes this peer's server sent to other peers since it started
 * @param uplink the server's limits on chunk answers read at once, and its load now
 */
public record PeerStatus(String peerId, String name, int quicPort, Path gamesDir, long servedBytes,
        UplinkStatus uplink) {

    public PeerStatus {
        uplink = uplink == null ? UplinkStatus.UNKNOWN : uplink;
    }

    /** A status without uplink figures. */
    public PeerStatus(String peerId, String name, int quicPort, Path gamesDir, long servedBytes) {
        this(peerId, name, quicPort, gamesDir, servedBytes, UplinkStatus.UNKNOWN);
    }

    /** A status without a served-bytes figure (0). */
    public PeerStatus(String peerId, String name, int quicPort, Path gamesDir) {
        this(peerId, name, quicPort, gamesDir, 0);
    }
}
