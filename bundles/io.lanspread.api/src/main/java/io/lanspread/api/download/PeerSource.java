package io.lanspread.api.download;

import java.net.InetSocketAddress;

/** A peer that holds the game being downloaded. */
public record PeerSource(String peerId, InetSocketAddress address) {
}
