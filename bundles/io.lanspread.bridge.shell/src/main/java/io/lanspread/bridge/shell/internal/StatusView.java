package io.lanspread.bridge.shell.internal;

import io.lanspread.api.control.PeerStatus;

/** What {@code lanspread:status} answers: this peer, and how much is going on. */
public record StatusView(PeerStatus status, int peers, int runningDownloads) {

    @Override
    public String toString() {
        return "peer       " + status.peerId() + '\n'
                + "name       " + status.name() + '\n'
                + "quic port  " + status.quicPort() + " (UDP)\n"
                + "games      " + status.gamesDir() + '\n'
                + "served     " + Units.bytes(status.servedBytes()) + '\n'
                + "peers      " + peers + " online\n"
                + "downloads  " + runningDownloads + " running";
    }
}
