package io.lanspread.api.discovery;

/**
 * What a discovery backend advertises about this peer.
 *
 * @param peerId                 this peer's id
 * @param name                   display name
 * @param quicPort               the UDP port the QUIC server listens on
 * @param certificateFingerprint SHA-256 of the peer's certificate, hex
 * @param libraryRevision        grows whenever the local library changes
 * @param protocolVersion        wire protocol version spoken
 */
public record LocalPeer(String peerId, String name, int quicPort, String certificateFingerprint,
        long libraryRevision, int protocolVersion) {
}
