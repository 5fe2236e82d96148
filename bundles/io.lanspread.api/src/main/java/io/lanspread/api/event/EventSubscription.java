package io.lanspread.api.event;

import org.osgi.annotation.versioning.ProviderType;

/** One subscriber's place in the {@link EventHub}; closing it frees what the hub holds for it. */
@ProviderType
public interface EventSubscription extends AutoCloseable {

    /**
     * Stops deliveries: no call to the subscriber starts after this returns (one already running finishes).
     * Closing twice does nothing.
     */
    @Override
    void close();

    /** False once closed by either side. */
    boolean isOpen();
}
