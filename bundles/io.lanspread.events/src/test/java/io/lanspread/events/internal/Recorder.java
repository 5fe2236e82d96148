package io.lanspread.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lanspread.api.event.EventSubscriber;
import io.lanspread.api.event.HubEvent;

/** A subscriber that records what it is handed, and on which thread; tests take from it with a deadline. */
class Recorder implements EventSubscriber {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    record Heartbeat(String thread) {
    }

    record Closed(String reason) {
    }

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onEvent(HubEvent event) throws java.io.IOException {
        threads.add(Thread.currentThread().getName());
        received.add(event);
    }

    @Override
    public void onHeartbeat() {
        received.add(new Heartbeat(Thread.currentThread().getName()));
    }

    @Override
    public void onClose(String reason) {
        received.add(new Closed(reason));
    }

    /** The next thing received, within the deadline. */
    Object next() {
        try {
            Object item = received.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(item).as("something received within " + DEADLINE).isNotNull();
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HubEvent nextEvent() {
        Object item = next();
        assertThat(item).isInstanceOf(HubEvent.class);
        return (HubEvent) item;
    }

    HubEvent.Snapshot nextSnapshot() {
        HubEvent event = nextEvent();
        assertThat(event).isInstanceOf(HubEvent.Snapshot.class);
        return (HubEvent.Snapshot) event;
    }

    /** The next {@code count} events, which must all be events. */
    List<HubEvent> events(int count) {
        List<HubEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(nextEvent());
        }
        return events;
    }

    /** What was received and not taken yet, without waiting. */
    List<Object> pending() {
        List<Object> items = new ArrayList<>();
        received.drainTo(items);
        return items;
    }
}
