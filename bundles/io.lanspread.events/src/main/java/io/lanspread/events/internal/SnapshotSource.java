package io.lanspread.events.internal;

import java.time.Instant;

import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.SnapshotReason;

/** Takes a snapshot of what a UI shows; called on a subscriber's delivery thread, never under the hub's lock. */
@FunctionalInterface
interface SnapshotSource {

    HubEvent.Snapshot take(String id, long sequence, Instant time, SnapshotReason reason);
}
