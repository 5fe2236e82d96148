package io.lanspread.download.internal.vote;

import java.net.InetAddress;

import io.lanspread.api.game.GameManifest;
import io.lanspread.api.peer.PeerInfo;

/** One holder's answer: its manifest of the game. */
public record Ballot(PeerInfo peer, GameManifest manifest) {

    /** The machine it runs on: several peer ids on one host count once. */
    public InetAddress host() {
        return peer.address().getAddress();
    }

    public String name() {
        String name = peer.name() == null || peer.name().isEmpty() ? peer.peerId() : peer.name();
        return name + " (" + peer.address().getAddress().getHostAddress() + ")";
    }
}
