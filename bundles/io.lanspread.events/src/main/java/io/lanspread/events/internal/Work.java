package io.lanspread.events.internal;

import java.util.List;

import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.SnapshotReason;

/** The next thing to hand one subscriber, chosen under the hub's lock and done outside it. */
sealed interface Work {

    record Events(List<HubEvent> events) implements Work {
    }

    /** A snapshot covering every event up to {@code sequence}; the subscriber continues after it. */
    record TakeSnapshot(SnapshotReason reason, long sequence) implements Work {
    }

    record Heartbeat() implements Work {
    }

    /** The hub ended the subscription. */
    record Close(String reason) implements Work {
    }
}
