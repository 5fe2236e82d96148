package io.lanspread.api.discovery;

import org.osgi.annotation.versioning.ProviderType;

/** Where a backend reports what it finds. Implemented by the runtime; safe to call from any thread. */
@ProviderType
public interface DiscoveryListener {

    void found(DiscoveredPeer peer);

    void lost(DiscoveredPeer peer);
}
