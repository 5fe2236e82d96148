package io.lanspread.events.internal;

import java.util.ArrayList;
import java.util.List;

import io.lanspread.api.event.HubEvent;

/**
 * The newest events, by sequence, in a fixed ring: adding to a full ring drops the oldest. Not thread-safe;
 * the hub guards it.
 */
final class ReplayBuffer {

    private HubEvent[] ring;
    /** Sequence of the oldest event held; equals {@link #next} while empty. */
    private long first = 1;
    /** Sequence the next event must have. */
    private long next = 1;

    ReplayBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a replay buffer holds at least one event");
        }
        ring = new HubEvent[capacity];
    }

    void add(HubEvent event) {
        if (event.sequence() != next) {
            throw new IllegalArgumentException("expected sequence " + next + ", got " + event.sequence());
        }
        ring[slot(next)] = event;
        next++;
        if (next - first > ring.length) {
            first = next - ring.length;
        }
    }

    /** Holds up to {@code capacity} events from now on, keeping the newest of those held. */
    void resize(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a replay buffer holds at least one event");
        }
        HubEvent[] old = ring;
        ring = new HubEvent[capacity];
        first = Math.max(first, next - capacity);
        for (long s = first; s < next; s++) {
            ring[(int) (s % capacity)] = old[(int) (s % old.length)];
        }
    }

    /** The oldest sequence still held (the next one to be added when nothing is held). */
    long firstSequence() {
        return first;
    }

    /** Up to {@code max} events from {@code sequence} on (from the oldest held, if that one is gone). */
    List<HubEvent> from(long sequence, int max) {
        long start = Math.max(sequence, first);
        int count = (int) Math.min(max, Math.max(0, next - start));
        List<HubEvent> events = new ArrayList<>(count);
        for (long s = start; s < start + count; s++) {
            events.add(ring[slot(s)]);
        }
        return events;
    }

    private int slot(long sequence) {
        return (int) (sequence % ring.length);
    }
}
