package io.lanspread.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.SnapshotReason;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.peer.PeerInfo;

/** The component: its configuration, snapshots from the control service, library events, deactivation. */
class EventHubComponentTest {

    private static final Game LOCAL = new Game("quake", "Quake", "1.09", 1234);
    private static final Game REMOTE = new Game("doom", "Doom", "1.9", 5678);
    private static final PeerInfo PEER = new PeerInfo("peer-b", "b", new InetSocketAddress("127.0.0.1", 42420),
            Instant.EPOCH, List.of(REMOTE));
    private static final PeerStatus STATUS = new PeerStatus("peer-a", "a", 42420, Path.of("games"), 7);

    private final List<EventHubComponent> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(EventHubComponent::deactivate);
    }

    private EventHubComponent activate() {
        EventHubComponent component = new EventHubComponent(config(1024, 500, 64, 15));
        started.add(component);
        return component;
    }

    @Test
    void aSnapshotHoldsWhatTheControlServiceAndTheLibraryKnowAndEveryServiceIsGivenBack() {
        EventHubComponent component = activate();
        Counted<PeerControl> control = new Counted<>(service(PeerControl.class, Map.of("status", STATUS, "peers",
                List.of(PEER), "games", List.of(new GameListing(REMOTE, false, List.of("peer-b"))), "downloads",
                List.of(Events.status("d1", DownloadState.RUNNING, 10)))));
        Counted<LocalLibrary> library = new Counted<>(service(LocalLibrary.class, Map.of("games", List.of(LOCAL))));
        component.control = control;
        component.library = library;
        component.onEvent(Events.lost(1));
        Recorder r = new Recorder();

        component.subscribe(r);

        HubEvent.Snapshot snapshot = r.nextSnapshot();
        assertThat(snapshot.reason()).isEqualTo(SnapshotReason.NO_ID);
        assertThat(snapshot.sequence()).isEqualTo(1);
        assertThat(snapshot.status()).isEqualTo(STATUS);
        assertThat(snapshot.peers()).containsExactly(PEER);
        assertThat(snapshot.library()).containsExactly(LOCAL);
        assertThat(snapshot.games()).extracting(g -> g.game().id()).containsExactly("doom");
        assertThat(snapshot.downloads()).extracting(d -> d.id()).containsExactly("d1");
        assertThat(control.taken.get()).isEqualTo(1);
        assertThat(control.given.get()).isEqualTo(1);
        assertThat(library.given.get()).isEqualTo(library.taken.get()).isPositive();
    }

    @Test
    void withoutTheControlServiceTheSnapshotIsEmptyAndTheHubStillServes() {
        EventHubComponent component = activate();
        Recorder r = new Recorder();

        component.subscribe(r);

        HubEvent.Snapshot snapshot = r.nextSnapshot();
        assertThat(snapshot.status()).isNull();
        assertThat(snapshot.peers()).isEmpty();
        assertThat(snapshot.library()).isEmpty();
        component.onEvent(new LanspreadEvent.PeerLost("p", "p"));
        assertThat(r.nextEvent().type()).isEqualTo("peer-lost");
    }

    @Test
    void aLibraryChangeBecomesAnEventWithTheLocalGames() {
        EventHubComponent component = activate();
        component.library = new Counted<>(service(LocalLibrary.class, Map.of("games", List.of(LOCAL))));
        Recorder r = new Recorder();
        component.subscribe(r);
        r.nextSnapshot();

        component.libraryChanged(17);

        assertThat(r.nextEvent()).isInstanceOfSatisfying(HubEvent.LibraryChanged.class, e -> {
            assertThat(e.type()).isEqualTo("library-changed");
            assertThat(e.revision()).isEqualTo(17);
            assertThat(e.games()).containsExactly(LOCAL);
        });
    }

    @Test
    void theConfigurationSizesTheBufferAndDeactivationEndsEveryThread() {
        EventHubComponent component = new EventHubComponent(config(4, 500, 1, 15));
        for (int i = 1; i <= 10; i++) {
            component.onEvent(Events.lost(i));
        }
        Recorder old = new Recorder();
        component.subscribe(component.hub().bootId() + "-5", old);
        assertThat(old.nextSnapshot().reason()).isEqualTo(SnapshotReason.EXPIRED_ID);
        assertThat(component.hub().heartbeatsRunning()).isTrue();

        component.deactivate();

        assertThat(old.next()).isEqualTo(new Recorder.Closed(Hub.STOPPED));
        Poll.until("the hub's threads ended", Poll::hubThreadsEnded);
    }

    /** A service answering the named methods with fixed values. */
    private static <T> T service(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, m, args) -> {
            if (m.getName().equals("toString")) {
                return "fake " + type.getSimpleName();
            }
            if (answers.containsKey(m.getName())) {
                return answers.get(m.getName());
            }
            throw new UnsupportedOperationException(m.getName());
        }));
    }

    /** Hands out one service and counts how often it was taken and given back. */
    private static final class Counted<S> implements ComponentServiceObjects<S> {
        final S service;
        final AtomicInteger taken = new AtomicInteger();
        final AtomicInteger given = new AtomicInteger();

        Counted(S service) {
            this.service = service;
        }

        @Override
        public S getService() {
            taken.incrementAndGet();
            return service;
        }

        @Override
        public void ungetService(S s) {
            given.incrementAndGet();
        }

        @Override
        public ServiceReference<S> getServiceReference() {
            throw new UnsupportedOperationException();
        }
    }

    private static EventHubComponent.Config config(int buffer, long progressMillis, int maxSubscribers,
            long heartbeatSeconds) {
        return new EventHubComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EventHubComponent.Config.class;
            }

            @Override
            public int replay_buffer_size() {
                return buffer;
            }

            @Override
            public long progress_interval_millis() {
                return progressMillis;
            }

            @Override
            public int max_subscribers() {
                return maxSubscribers;
            }

            @Override
            public long heartbeat_seconds() {
                return heartbeatSeconds;
            }
        };
    }
}
