package io.lanspread.api.discovery;

import java.net.InetSocketAddress;

/**
 * A peer a backend found (or lost).
 *
 * @param source          the backend's name
 * @param address         where the peer's QUIC server listens
 * @param peerId          the peer id when the backend knows it (mDNS does), else {@code null}: the
 *                        runtime learns it by asking the peer
 * @param libraryRevision the peer's library revision when advertised, else -1
 */
public record DiscoveredPeer(String source, InetSocketAddress address, String peerId, long libraryRevision) {
}
