package io.lanspread.api.control;

import java.nio.file.Path;

/**
 * This peer: who it is, where it listens, what it serves.
 *
 * @param servedBytes file bytes this peer's server sent to other peers since it started
 */
public record PeerStatus(String peerId, String name, int quicPort, Path gamesDir, long servedBytes) {

    /** A status without a served-bytes figure (0). */
    public PeerStatus(String peerId, String name, int quicPort, Path gamesDir) {
        this(peerId, name, quicPort, gamesDir, 0);
    }
}
