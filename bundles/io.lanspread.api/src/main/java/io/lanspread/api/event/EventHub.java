package io.lanspread.api.event;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every peer, library and download event of this runtime, numbered, for UIs that follow them live (an event
 * stream for a web page, a shell). Each subscriber is served on its own thread from its own position in a
 * bounded replay buffer: a slow or blocked subscriber never delays the runtime or another subscriber, and
 * one that falls further behind than the buffer holds gets a {@link HubEvent.Snapshot} and continues from
 * there. Download progress is coalesced per download (at most one event per configured interval, the last
 * progress before a download ends always kept).
 */
@ProviderType
public interface EventHub {

    /**
     * Starts delivering events to {@code subscriber}, asynchronously, in order. With the id of the last event
     * a client received ({@code Last-Event-ID}), it gets exactly the events after that one while they are
     * still in the replay buffer; with no id, an id of an earlier run of the runtime, an unknown id or one too
     * old, it first gets a {@link HubEvent.Snapshot}, then every event after it.
     *
     * @param lastEventId the {@link HubEvent#id()} the subscriber saw last, or null
     * @throws IllegalStateException with a sentence for the user when the hub has stopped or serves as many
     *                               subscribers as it is configured to
     */
    EventSubscription subscribe(String lastEventId, EventSubscriber subscriber);

    /** A new subscriber: a snapshot first, then every event. */
    default EventSubscription subscribe(EventSubscriber subscriber) {
        return subscribe(null, subscriber);
    }
}
