package io.lanspread.api.discovery;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to find peers: a configured list, mDNS, or a third party's. Backends are services; the runtime
 * uses every one registered at once and merges what they find by peer id.
 *
 * <p>Register with the service property {@value #NAME_PROPERTY}.
 */
@ConsumerType
public interface DiscoveryBackend {

    String NAME_PROPERTY = "lanspread.discovery.name";

    /** Short name, such as {@code static} or {@code mdns}. */
    String name();

    /**
     * Starts advertising {@code self} and reporting peers to {@code listener} until the session is
     * closed. Must not block for long; the backend uses its own threads.
     */
    DiscoverySession start(LocalPeer self, DiscoveryListener listener) throws Exception;
}
