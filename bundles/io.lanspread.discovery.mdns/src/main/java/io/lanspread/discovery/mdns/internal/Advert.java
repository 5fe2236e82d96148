package io.lanspread.discovery.mdns.internal;

/**
 * What a peer's TXT record says about it, as decoded. Absent text values are {@code null}; absent or
 * unreadable numbers are -1.
 */
record Advert(String peerId, int protocolVersion, long libraryRevision, String fingerprint, String name,
        String hostname) {
}
