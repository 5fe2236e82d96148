package io.lanspread.events.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.event.EventHub;
import io.lanspread.api.event.EventSubscriber;
import io.lanspread.api.event.EventSubscription;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.SnapshotReason;
import io.lanspread.api.game.Game;

/**
 * Numbers events into a bounded replay buffer and serves every subscriber from its own position in it.
 * Publishing only takes a short lock (number, store, wake idle subscribers): it never waits for a
 * subscriber. Each subscriber is drained by a task of its own on a pool that grows with the subscribers
 * (at most one task per subscriber, so at most {@code max.subscribers} threads), which is what lets one
 * subscriber block without holding up another. A subscriber whose position left the buffer gets a
 * snapshot and continues after it: memory stays bounded by the buffer however slow it is.
 */
final class Hub implements EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    private static final int BATCH = 64;
    static final String STOPPED = "The event hub stopped.";

    /**
     * @param heartbeat a subscriber that got nothing this long gets a heartbeat; zero for none
     */
    record Settings(int replayBufferSize, Duration progressInterval, int maxSubscribers, Duration heartbeat) {
    }

    @FunctionalInterface
    private interface Stamp {
        HubEvent create(String id, long sequence, Instant time);
    }

    private final Object lock = new Object();
    private volatile Settings settings; // replaced under lock
    private final EventIds ids;
    private final SnapshotSource snapshots;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor delivery;
    // guarded by lock
    private final ReplayBuffer buffer;
    private final ProgressCoalescer progress;
    private final Set<Subscription> subscriptions = new LinkedHashSet<>();
    private ScheduledFuture<?> heartbeats;
    private long lastSequence;
    private boolean closed;

    Hub(Settings settings, EventIds ids, SnapshotSource snapshots) {
        this.settings = settings;
        this.ids = ids;
        this.snapshots = snapshots;
        this.buffer = new ReplayBuffer(settings.replayBufferSize());
        this.timer = new ScheduledThreadPoolExecutor(1, threads("lanspread-events-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.delivery = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads("lanspread-events-delivery"));
        this.progress = new ProgressCoalescer(settings.progressInterval().toNanos(),
                (downloadId, delay) -> timer.schedule(() -> flushProgress(downloadId), delay, TimeUnit.NANOSECONDS));
    }

    /**
     * New settings in place: the replay buffer keeps its newest events, subscribers stay connected (those beyond a
     * lower limit too, only new ones are refused), and heartbeats and progress follow the new intervals.
     */
    void reconfigure(Settings changed) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            settings = changed;
            buffer.resize(changed.replayBufferSize());
            progress.setInterval(changed.progressInterval().toNanos());
            stopHeartbeats();
            if (!subscriptions.isEmpty()) {
                startHeartbeats();
            }
        }
    }

    // ---- publishing (any thread; never blocks on a subscriber)

    void publish(LanspreadEvent event) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (LanspreadEvent e : progress.offer(event, System.nanoTime())) {
                append((id, sequence, time) -> new HubEvent.Reported(id, sequence, time, e));
            }
        }
    }

    void libraryChanged(long revision, List<Game> games) {
        synchronized (lock) {
            if (!closed) {
                append((id, sequence, time) -> new HubEvent.LibraryChanged(id, sequence, time, revision, games));
            }
        }
    }

    private void flushProgress(String downloadId) {
        synchronized (lock) {
            if (!closed) {
                progress.flush(downloadId, System.nanoTime()).ifPresent(e -> append(
                        (id, sequence, time) -> new HubEvent.Reported(id, sequence, time, e)));
            }
        }
    }

    /** Under the lock. */
    private void append(Stamp stamp) {
        long sequence = ++lastSequence;
        buffer.add(stamp.create(ids.id(sequence), sequence, Instant.now()));
        for (Subscription s : subscriptions) {
            wake(s);
        }
    }

    /** Under the lock. */
    private void wake(Subscription s) {
        if (!s.scheduled) {
            s.scheduled = true;
            delivery.execute(s::drain);
        }
    }

    // ---- subscribing

    @Override
    public EventSubscription subscribe(String lastEventId, EventSubscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(STOPPED);
            }
            if (subscriptions.size() >= settings.maxSubscribers()) {
                throw new IllegalStateException("The event hub already serves " + settings.maxSubscribers()
                        + " subscribers, as many as it is configured to; try again later.");
            }
            Subscription s = new Subscription(this, subscriber, System.nanoTime());
            OptionalLong seen = ids.sequenceOf(lastEventId);
            if (lastEventId == null || lastEventId.isBlank()) {
                s.snapshotDue = SnapshotReason.NO_ID;
            } else if (seen.isEmpty() || seen.getAsLong() > lastSequence) {
                s.snapshotDue = SnapshotReason.UNKNOWN_ID;
            } else if (seen.getAsLong() + 1 < buffer.firstSequence()) {
                s.snapshotDue = SnapshotReason.EXPIRED_ID;
            } else {
                s.cursor = seen.getAsLong() + 1;
            }
            subscriptions.add(s);
            startHeartbeats();
            wake(s);
            return s;
        }
    }

    /** The subscriber closed its subscription. */
    void remove(Subscription s) {
        synchronized (lock) {
            s.closed = true;
            if (subscriptions.remove(s) && subscriptions.isEmpty()) {
                stopHeartbeats();
            }
        }
    }

    /** The subscriber threw; true when it is to be told (it had not closed the subscription itself). */
    boolean failed(Subscription s) {
        synchronized (lock) {
            if (s.closed) {
                return false;
            }
            remove(s);
            return true;
        }
    }

    /** What to hand {@code s} next, or null (and {@code s} is idle) when there is nothing. */
    Work next(Subscription s) {
        synchronized (lock) {
            if (s.closeReason != null) {
                String reason = s.closeReason;
                s.closeReason = null;
                return new Work.Close(reason);
            }
            if (s.closed) {
                s.scheduled = false;
                return null;
            }
            if (s.snapshotDue == null && s.cursor < buffer.firstSequence()) {
                LOG.info("An event subscriber fell {} events behind, more than the replay buffer holds; it gets a"
                        + " snapshot", lastSequence - s.cursor + 1);
                s.snapshotDue = SnapshotReason.FELL_BEHIND;
            }
            if (s.snapshotDue != null) {
                SnapshotReason reason = s.snapshotDue;
                s.snapshotDue = null;
                s.cursor = lastSequence + 1;
                return new Work.TakeSnapshot(reason, lastSequence);
            }
            List<HubEvent> events = buffer.from(s.cursor, BATCH);
            if (!events.isEmpty()) {
                s.cursor += events.size();
                return new Work.Events(events);
            }
            if (s.heartbeatDue) {
                s.heartbeatDue = false;
                return new Work.Heartbeat();
            }
            s.scheduled = false;
            return null;
        }
    }

    /** Outside the lock: a snapshot covering every event up to {@code sequence}. */
    HubEvent.Snapshot snapshot(SnapshotReason reason, long sequence) {
        String id = ids.id(sequence);
        Instant now = Instant.now();
        try {
            return snapshots.take(id, sequence, now, reason);
        } catch (RuntimeException e) {
            LOG.warn("Taking a snapshot for an event subscriber failed; it gets an empty one", e);
            return new HubEvent.Snapshot(id, sequence, now, reason, null, List.of(), List.of(), List.of(), List.of());
        }
    }

    // ---- heartbeats (the timer runs only while someone is subscribed)

    private void startHeartbeats() {
        long period = settings.heartbeat().toNanos();
        if (period > 0 && heartbeats == null) {
            heartbeats = timer.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.NANOSECONDS);
        }
    }

    private void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
    }

    private void heartbeat() {
        long now = System.nanoTime();
        long period = settings.heartbeat().toNanos();
        synchronized (lock) {
            for (Subscription s : subscriptions) {
                if (!s.scheduled && now - s.lastDeliveryNanos >= period) {
                    s.heartbeatDue = true;
                    wake(s);
                }
            }
        }
    }

    // ---- for the component and tests

    String bootId() {
        return ids.bootId();
    }

    int subscriberCount() {
        synchronized (lock) {
            return subscriptions.size();
        }
    }

    int followedDownloads() {
        synchronized (lock) {
            return progress.tracked();
        }
    }

    boolean heartbeatsRunning() {
        synchronized (lock) {
            return heartbeats != null;
        }
    }

    /** Delivery tasks running now (a subscriber being served). */
    int busyDeliveries() {
        return delivery.getActiveCount();
    }

    /**
     * Ends every subscription (each subscriber is told, after its last event), then stops the threads, waiting
     * briefly for subscribers that are still busy.
     */
    void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Subscription s : subscriptions) {
                s.closed = true;
                s.closeReason = STOPPED;
                wake(s);
            }
            subscriptions.clear();
            stopHeartbeats();
            progress.clear();
        }
        timer.shutdownNow();
        delivery.shutdown();
        if (!awaitTermination(delivery, Duration.ofSeconds(2))) {
            LOG.warn("Event subscribers still busy after the hub stopped; interrupting them");
            delivery.shutdownNow();
            awaitTermination(delivery, Duration.ofSeconds(1));
        }
        awaitTermination(timer, Duration.ofSeconds(1));
    }

    private static boolean awaitTermination(ExecutorService executor, Duration wait) {
        try {
            return executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
