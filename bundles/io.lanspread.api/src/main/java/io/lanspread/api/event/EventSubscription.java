package io.lanspread.api.event;

import org.osgi.annotation.versioning.ProviderType;

/** One subscriber's place in the {@link EventHub}; closing it frees what the hub holds for it. */
@ProviderType
public interface EventSubscription extends AutoCloseable {

    /**
     * Stops deliveries and frees the subscriber's place at once, without waiting for a call that is under way
     * (it is not interrupted, and it is the last one). {@link EventSubscriber#onClose} is not called. Closing
     * twice does nothing; any thread may close, the subscriber's own callback included.
     */
    @Override
    void close();

    /** False once closed by either side. */
    boolean isOpen();
}
