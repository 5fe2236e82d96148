package io.lanspread.api.discovery;

import org.osgi.annotation.versioning.ConsumerType;

/** A running discovery: advertising this peer and browsing for others until closed. */
@ConsumerType
public interface DiscoverySession extends AutoCloseable {

    /** This peer's advertised data changed (a new library revision, say). */
    default void update(LocalPeer self) {
    }

    /** Stops advertising and browsing; never throws. */
    @Override
    void close();
}
