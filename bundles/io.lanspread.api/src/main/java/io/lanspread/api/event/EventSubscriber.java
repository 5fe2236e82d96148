package io.lanspread.api.event;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the events of one {@link EventHub#subscribe subscription}. Every call for one subscription comes
 * from a thread of the hub that serves only this subscriber at that moment, one call at a time, in order; a
 * call may block (writing to a slow network client, say) without delaying anyone else, but while it blocks
 * this subscriber falls behind.
 */
@ConsumerType
public interface EventSubscriber {

    /**
     * The next event. Throwing (for example an {@link IOException} because the client went away) ends the
     * subscription: {@link #onClose} follows with a reason.
     */
    void onEvent(HubEvent event) throws IOException;

    /**
     * Nothing was delivered for the configured heartbeat interval: a stream can write a comment to keep its
     * connection open and to find out that its client is gone. Throwing ends the subscription as above.
     */
    default void onHeartbeat() throws IOException {
    }

    /**
     * The subscription ended on the hub's side: it stopped, or this subscriber failed. Called once, after the
     * last event, and not when the subscriber closed the subscription itself.
     *
     * @param reason a sentence saying why
     */
    default void onClose(String reason) {
    }
}
