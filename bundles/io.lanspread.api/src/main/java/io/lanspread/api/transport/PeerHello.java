package io.lanspread.api.transport;

/**
 * A peer's answer to a ping.
 *
 * @param peerId          its id, checked by the transport against the certificate it presented
 * @param name            its display name
 * @param protocolVersion the wire protocol version it speaks
 * @param libraryRevision its library revision
 */
public record PeerHello(String peerId, String name, int protocolVersion, long libraryRevision) {
}
