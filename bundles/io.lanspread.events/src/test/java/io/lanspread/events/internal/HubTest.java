package io.lanspread.events.internal;

import static io.lanspread.events.internal.Events.begin;
import static io.lanspread.events.internal.Events.finished;
import static io.lanspread.events.internal.Events.lost;
import static io.lanspread.events.internal.Events.progress;
import static io.lanspread.events.internal.Events.reported;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.event.EventSubscription;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.SnapshotReason;

/** The hub on real threads: order, isolation of slow subscribers, resume, snapshots, coalescing, shutdown. */
class HubTest {

    private final List<Hub> hubs = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();

    @AfterEach
    void stop() {
        gates.forEach(CountDownLatch::countDown);
        hubs.forEach(Hub::close);
    }

    private Hub hub(int buffer) {
        return hub(buffer, Duration.ofMillis(500), 64, Duration.ZERO);
    }

    private Hub hub(int buffer, Duration progressInterval, int maxSubscribers, Duration heartbeat) {
        Hub hub = new Hub(new Hub.Settings(buffer, progressInterval, maxSubscribers, heartbeat), EventIds.random(),
                (id, sequence, time, reason) -> new HubEvent.Snapshot(id, sequence, time, reason, null, List.of(),
                        List.of(), List.of(), List.of()));
        hubs.add(hub);
        return hub;
    }

    /** A subscriber whose first event blocks its delivery until the gate opens. */
    private Recorder blockedUntil(CountDownLatch gate, CountDownLatch entered) {
        gates.add(gate);
        return new Recorder() {
            @Override
            public void onEvent(HubEvent event) throws IOException {
                entered.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEvent(event);
            }
        };
    }

    private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(Recorder.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void everySubscriberGetsEveryEventInOrderWithContiguousSequencesOnTheHubsThreads() {
        Hub hub = hub(4096);
        List<Recorder> recorders = List.of(new Recorder(), new Recorder(), new Recorder());
        recorders.forEach(hub::subscribe);

        for (int i = 1; i <= 2000; i++) {
            hub.publish(lost(i));
        }

        for (Recorder r : recorders) {
            HubEvent.Snapshot snapshot = r.nextSnapshot();
            assertThat(snapshot.reason()).isEqualTo(SnapshotReason.NO_ID);
            // the snapshot is taken when the subscriber's delivery first runs: it covers what came before
            int after = (int) snapshot.sequence();
            List<HubEvent> events = r.events(2000 - after);
            for (int i = 0; i < events.size(); i++) {
                HubEvent e = events.get(i);
                assertThat(e.sequence()).isEqualTo(snapshot.sequence() + 1 + i);
                assertThat(e.id()).isEqualTo(hub.bootId() + "-" + e.sequence());
                assertThat(e.type()).isEqualTo("peer-lost");
            }
            assertThat(events).extracting(e -> ((LanspreadEvent.PeerLost) reported(e)).peerId())
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(after + 1, 2000)
                            .mapToObj(i -> "p" + i).toList());
            assertThat(r.threads).allMatch(t -> t.startsWith("lanspread-events-delivery-"));
        }
    }

    @Test
    void aBlockedSubscriberDelaysNeitherThePublisherNorAnotherSubscriber() throws Exception {
        Hub hub = hub(4096);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Recorder blocked = blockedUntil(gate, entered);
        hub.subscribe(blocked);
        awaitLatch(entered); // stuck in its snapshot
        Recorder other = new Recorder();
        hub.subscribe(other);
        other.nextSnapshot();

        long start = System.nanoTime();
        for (int i = 1; i <= 1000; i++) {
            hub.publish(lost(i));
        }
        long publishMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(other.events(1000)).last().satisfies(e -> assertThat(e.sequence()).isEqualTo(1000));
        assertThat(blocked.pending()).isEmpty();
        assertThat(publishMillis).as("publishing 1000 events while a subscriber is blocked").isLessThan(2000);

        gate.countDown();
        assertThat(blocked.nextSnapshot().sequence()).isZero();
        assertThat(blocked.events(1000)).extracting(HubEvent::sequence).startsWith(1L, 2L).endsWith(1000L);
    }

    @Test
    void aSubscriberThatFallsFurtherBehindThanTheBufferGetsASnapshotAndContinuesAfterIt() throws Exception {
        Hub hub = hub(16);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Recorder slow = blockedUntil(gate, entered);
        hub.subscribe(slow);
        awaitLatch(entered);

        for (int i = 1; i <= 100; i++) {
            hub.publish(lost(i));
        }
        gate.countDown();

        assertThat(slow.nextSnapshot().reason()).isEqualTo(SnapshotReason.NO_ID);
        HubEvent.Snapshot again = slow.nextSnapshot();
        assertThat(again.reason()).isEqualTo(SnapshotReason.FELL_BEHIND);
        assertThat(again.sequence()).isEqualTo(100);
        assertThat(again.id()).isEqualTo(hub.bootId() + "-100");

        hub.publish(lost(101));
        assertThat(slow.nextEvent().sequence()).isEqualTo(101);
    }

    @Test
    void resumingWithTheLastSeenIdGivesExactlyTheMissedEventsThenLiveOnes() {
        Hub hub = hub(1024);
        Recorder first = new Recorder();
        EventSubscription subscription = hub.subscribe(first);
        first.nextSnapshot();
        for (int i = 1; i <= 10; i++) {
            hub.publish(lost(i));
        }
        List<HubEvent> seen = first.events(4);
        subscription.close();
        String lastSeen = seen.get(3).id();

        Recorder back = new Recorder();
        hub.subscribe(lastSeen, back);
        hub.publish(lost(11));

        assertThat(back.events(7)).extracting(e -> ((LanspreadEvent.PeerLost) reported(e)).peerId())
                .containsExactly("p5", "p6", "p7", "p8", "p9", "p10", "p11");
    }

    @Test
    void anIdWhoseSuccessorsAllStillAreInTheBufferResumesAndAnOlderOneGetsASnapshot() {
        Hub hub = hub(8);
        for (int i = 1; i <= 20; i++) {
            hub.publish(lost(i)); // the buffer holds 13..20
        }

        Recorder edge = new Recorder();
        hub.subscribe(hub.bootId() + "-12", edge);
        assertThat(edge.events(8)).extracting(HubEvent::sequence).containsExactly(13L, 14L, 15L, 16L, 17L, 18L,
                19L, 20L);

        Recorder old = new Recorder();
        hub.subscribe(hub.bootId() + "-11", old);
        HubEvent.Snapshot snapshot = old.nextSnapshot();
        assertThat(snapshot.reason()).isEqualTo(SnapshotReason.EXPIRED_ID);
        assertThat(snapshot.sequence()).isEqualTo(20);
        hub.publish(lost(21));
        assertThat(old.nextEvent().sequence()).isEqualTo(21);
        assertThat(edge.nextEvent().sequence()).isEqualTo(21);

        Recorder upToDate = new Recorder();
        hub.subscribe(hub.bootId() + "-21", upToDate);
        hub.publish(lost(22));
        assertThat(upToDate.nextEvent().sequence()).isEqualTo(22);
    }

    @Test
    void anIdOfAnotherRunMalformedOrNeverIssuedGetsASnapshot() {
        Hub before = hub(64);
        before.publish(lost(1));
        before.publish(lost(2));
        Hub hub = hub(64); // the runtime restarted: a new boot id
        hub.publish(lost(1));

        for (String id : List.of(before.bootId() + "-1", "garbage", hub.bootId() + "-2", hub.bootId() + "-x")) {
            Recorder r = new Recorder();
            hub.subscribe(id, r);
            HubEvent.Snapshot snapshot = r.nextSnapshot();
            assertThat(snapshot.reason()).as(id).isEqualTo(SnapshotReason.UNKNOWN_ID);
            assertThat(snapshot.sequence()).isEqualTo(1);
        }
        Recorder none = new Recorder();
        hub.subscribe("", none);
        assertThat(none.nextSnapshot().reason()).isEqualTo(SnapshotReason.NO_ID);
    }

    @Test
    void manyProgressEventsBecomeAboutTwoASecondAndTheLastBeforeTheEndIsDelivered() throws Exception {
        Hub hub = hub(4096); // the default interval: 500 ms
        Recorder r = new Recorder();
        hub.subscribe(r);
        r.nextSnapshot();
        AtomicLong published = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        ScheduledExecutorService engine = Executors.newSingleThreadScheduledExecutor();
        long runNanos = Duration.ofMillis(2000).toNanos();
        try {
            long start = System.nanoTime();
            hub.publish(begin("d"));
            engine.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - start < runNanos) {
                    hub.publish(progress("d", published.incrementAndGet()));
                } else if (done.getCount() > 0) {
                    hub.publish(finished("d"));
                    done.countDown();
                }
            }, 0, 2, TimeUnit.MILLISECONDS);
            awaitLatch(done);
        } finally {
            engine.shutdownNow();
        }

        List<HubEvent> events = new ArrayList<>();
        HubEvent e;
        do {
            e = r.nextEvent();
            events.add(e);
        } while (!(reported(e) instanceof LanspreadEvent.DownloadFinished));

        List<HubEvent> progress = events.subList(1, events.size() - 1);
        assertThat(reported(events.get(0))).isInstanceOf(LanspreadEvent.DownloadBegin.class);
        assertThat(published.get()).as("progress events published").isGreaterThan(200);
        // 2 s at one per 500 ms: the first at once, then one per interval, plus the held one before the end (the
        // spacing itself is checked on a clock of the test's own in ProgressCoalescerTest)
        assertThat(progress).hasSizeBetween(3, 6);
        assertThat(progress).extracting(Events::downloaded).isSorted()
                .last().isEqualTo(published.get());
        Poll.until("the finished download forgotten", () -> hub.followedDownloads() == 0);
    }

    @Test
    void closingASubscriptionStopsItsDeliveriesAndFreesItsPlace() throws Exception {
        Hub hub = hub(64, Duration.ofMillis(500), 2, Duration.ofMillis(50));
        Recorder gone = new Recorder();
        EventSubscription subscription = hub.subscribe(gone);
        gone.nextSnapshot();
        Recorder staying = new Recorder();
        hub.subscribe(staying);
        staying.nextSnapshot();
        assertThatThrownBy(() -> hub.subscribe(new Recorder())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already serves 2 subscribers");

        subscription.close();
        subscription.close();

        assertThat(subscription.isOpen()).isFalse();
        assertThat(hub.subscriberCount()).isEqualTo(1);
        hub.publish(lost(1));
        assertThat(staying.nextEvent().sequence()).isEqualTo(1);
        Poll.until("no delivery running", () -> hub.busyDeliveries() == 0);
        assertThat(gone.pending()).noneMatch(item -> item instanceof HubEvent);

        hub.subscribe(new Recorder()); // the place is free again
        assertThat(hub.subscriberCount()).isEqualTo(2);
    }

    @Test
    void aSubscriberMayCloseItsSubscriptionFromItsOwnCallback() {
        Hub hub = hub(64);
        EventSubscription[] own = new EventSubscription[1];
        Recorder selfClosing = new Recorder() {
            @Override
            public void onEvent(HubEvent event) throws IOException {
                super.onEvent(event);
                if (event.sequence() == 1) {
                    own[0].close();
                }
            }
        };
        Recorder witness = new Recorder();
        own[0] = hub.subscribe(hub.bootId() + "-0", selfClosing); // id 0: nothing missed, so no snapshot
        hub.subscribe(hub.bootId() + "-0", witness);

        for (int i = 1; i <= 3; i++) {
            hub.publish(lost(i));
        }

        assertThat(witness.events(3)).extracting(HubEvent::sequence).containsExactly(1L, 2L, 3L);
        Poll.until("no delivery running", () -> hub.busyDeliveries() == 0);
        assertThat(selfClosing.nextEvent().sequence()).isEqualTo(1);
        assertThat(selfClosing.pending()).isEmpty();
        assertThat(hub.subscriberCount()).isEqualTo(1);
    }

    @Test
    void theLastSubscriberLeavingStopsTheHeartbeatsAndAQuietSubscriberGetsThem() {
        Hub hub = hub(64, Duration.ofMillis(500), 8, Duration.ofMillis(100));
        assertThat(hub.heartbeatsRunning()).isFalse();
        Recorder r = new Recorder();
        EventSubscription subscription = hub.subscribe(r);
        r.nextSnapshot();

        assertThat(r.next()).isInstanceOfSatisfying(Recorder.Heartbeat.class,
                h -> assertThat(h.thread()).startsWith("lanspread-events-delivery-"));
        assertThat(hub.heartbeatsRunning()).isTrue();

        subscription.close();
        assertThat(hub.heartbeatsRunning()).isFalse();
    }

    @Test
    void aSubscriberThatThrowsIsClosedAndTold() {
        Hub hub = hub(64);
        Recorder failing = new Recorder() {
            @Override
            public void onEvent(HubEvent event) throws IOException {
                if (event.sequence() == 2) {
                    throw new IOException("client went away");
                }
                super.onEvent(event);
            }
        };
        EventSubscription subscription = hub.subscribe(failing);
        failing.nextSnapshot();

        hub.publish(lost(1));
        hub.publish(lost(2));
        hub.publish(lost(3));

        assertThat(failing.nextEvent().sequence()).isEqualTo(1);
        assertThat(failing.next()).isInstanceOfSatisfying(Recorder.Closed.class,
                c -> assertThat(c.reason()).contains("subscription ended"));
        assertThat(subscription.isOpen()).isFalse();
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void closingTheHubTellsEverySubscriberAfterItsLastEventAndEndsItsThreadsEvenWithOneBlocked()
            throws Exception {
        Hub hub = hub(64, Duration.ofMillis(500), 8, Duration.ofSeconds(1));
        Recorder idle = new Recorder();
        hub.subscribe(idle);
        idle.nextSnapshot();
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        hub.subscribe(blockedUntil(never, entered));
        awaitLatch(entered);
        hub.publish(progress("d", 1));
        hub.publish(progress("d", 2)); // held: a flush is scheduled on the timer
        assertThat(idle.nextEvent().sequence()).isEqualTo(1);

        hub.close();

        assertThat(idle.next()).isEqualTo(new Recorder.Closed(Hub.STOPPED));
        Poll.until("the hub's threads ended", Poll::hubThreadsEnded);
        assertThatThrownBy(() -> hub.subscribe(new Recorder())).isInstanceOf(IllegalStateException.class)
                .hasMessage(Hub.STOPPED);
        hub.publish(lost(9)); // ignored, no error
    }
}
