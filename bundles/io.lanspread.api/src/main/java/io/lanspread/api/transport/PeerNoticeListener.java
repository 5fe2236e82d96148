package io.lanspread.api.transport;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as a service to be told what other peers announce to this peer's server. The peer id is the
 * one proven by the caller's TLS client certificate, never a claim in the message. Called on the
 * server's threads; must not block.
 */
@ConsumerType
public interface PeerNoticeListener {

    /**
     * A peer introduced itself: it listens on {@code listenAddress} (its source address with the port it
     * announced) and its library is at {@code libraryRevision}.
     */
    default void introduced(String peerId, String name, InetSocketAddress listenAddress, long libraryRevision) {
    }

    /** A peer's library changed; its game list is worth fetching again. */
    default void libraryChanged(String peerId, long libraryRevision) {
    }

    /** A peer is shutting down cleanly. */
    default void goodbye(String peerId) {
    }
}
