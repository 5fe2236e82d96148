package io.lanspread.events.internal;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.event.EventSubscriber;
import io.lanspread.api.event.EventSubscription;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.SnapshotReason;

/**
 * One subscriber's place in the hub: its position in the replay buffer (its queue is the events from there
 * on) and what else it is owed. At most one delivery task per subscription runs at a time, on the hub's
 * delivery pool, so a subscriber that blocks holds up only itself.
 */
final class Subscription implements EventSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private final Hub hub;
    final EventSubscriber subscriber;

    // guarded by the hub's lock
    /** The sequence of the next event to deliver. */
    long cursor;
    /** A delivery task is queued or running. */
    boolean scheduled;
    /** A snapshot is owed first, for this reason. */
    SnapshotReason snapshotDue;
    boolean heartbeatDue;
    /** Set when the hub ends the subscription: the subscriber is told once. */
    String closeReason;

    volatile boolean closed;
    volatile long lastDeliveryNanos;

    Subscription(Hub hub, EventSubscriber subscriber, long nowNanos) {
        this.hub = hub;
        this.subscriber = subscriber;
        this.lastDeliveryNanos = nowNanos;
    }

    @Override
    public void close() {
        hub.remove(this);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** The delivery task: hands over what the hub has for this subscriber until there is nothing left. */
    void drain() {
        for (Work work = hub.next(this); work != null; work = hub.next(this)) {
            if (work instanceof Work.Close close) {
                tellClosed(close.reason());
                return;
            }
            try {
                deliver(work);
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.debug("Event subscriber {} failed; ending its subscription", subscriber, e);
                if (hub.failed(this)) {
                    tellClosed("Delivering an event to this subscriber failed, so its subscription ended.");
                }
                return;
            }
        }
    }

    private void deliver(Work work) throws IOException {
        if (work instanceof Work.Events events) {
            for (HubEvent event : events.events()) {
                if (closed) {
                    return;
                }
                subscriber.onEvent(event);
                lastDeliveryNanos = System.nanoTime();
            }
        } else if (work instanceof Work.TakeSnapshot snapshot) {
            HubEvent.Snapshot taken = hub.snapshot(snapshot.reason(), snapshot.sequence());
            if (!closed) {
                subscriber.onEvent(taken);
                lastDeliveryNanos = System.nanoTime();
            }
        } else if (work instanceof Work.Heartbeat && !closed) {
            subscriber.onHeartbeat();
            lastDeliveryNanos = System.nanoTime();
        }
    }

    private void tellClosed(String reason) {
        try {
            subscriber.onClose(reason);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Event subscriber {} failed when told its subscription ended", subscriber, e);
        }
    }

    @Override
    public String toString() {
        return "subscription of " + subscriber;
    }
}
