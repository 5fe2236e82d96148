package io.lanspread.events.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.control.PeerControl;
import io.lanspread.api.event.EventHub;
import io.lanspread.api.event.EventSubscriber;
import io.lanspread.api.event.EventSubscription;
import io.lanspread.api.event.HubEvent;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;
import io.lanspread.api.event.SnapshotReason;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.LibraryListener;
import io.lanspread.api.game.LocalLibrary;

/**
 * The event hub service. It listens to the runtime's events and to the local library, and takes snapshots
 * from the control service. Both services are optional and used only lazily, on the hub's own threads (never
 * while DS binds them): the hub comes up in any order, and the orchestrator, which binds the hub as an event
 * listener, never waits for it.
 */
@Component(name = EventHubComponent.PID, immediate = true,
        service = { EventHub.class, LanspreadEventListener.class, LibraryListener.class })
@Designate(ocd = EventHubComponent.Config.class)
public final class EventHubComponent implements EventHub, LanspreadEventListener, LibraryListener {

    static final String PID = "io.lanspread.events";

    private static final Logger LOG = LoggerFactory.getLogger(EventHubComponent.class);

    @ObjectClassDefinition(name = "lanspread event hub",
            description = "Numbered events with a replay buffer for UIs that follow them live")
    public @interface Config {
        @AttributeDefinition(description = "Events kept for subscribers that reconnect or fall behind")
        int replay_buffer_size() default 1024;

        @AttributeDefinition(description = "At most one progress event per download this often, in milliseconds")
        long progress_interval_millis() default 500;

        @AttributeDefinition(description = "Subscribers served at once")
        int max_subscribers() default 64;

        @AttributeDefinition(description = "A subscriber that got nothing this long gets a heartbeat, in seconds; 0 for none")
        long heartbeat_seconds() default 15;
    }

    @Reference(name = "control", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ComponentServiceObjects<PeerControl> control;

    @Reference(name = "library", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ComponentServiceObjects<LocalLibrary> library;

    private final Hub hub;

    @Activate
    public EventHubComponent(Config config) {
        this.hub = new Hub(settings(config), EventIds.random(), this::snapshot);
        LOG.debug("Event hub started with boot id {}", hub.bootId());
    }

    static Hub.Settings settings(Config config) {
        return new Hub.Settings(Math.max(1, config.replay_buffer_size()),
                Duration.ofMillis(Math.max(0, config.progress_interval_millis())), Math.max(1, config.max_subscribers()),
                Duration.ofSeconds(Math.max(0, config.heartbeat_seconds())));
    }

    /** Applied in place: the boot id, the sequence and every subscriber stay. */
    @Modified
    void modified(Config config) {
        hub.reconfigure(settings(config));
    }

    @Deactivate
    void deactivate() {
        hub.close();
    }

    @Override
    public EventSubscription subscribe(String lastEventId, EventSubscriber subscriber) {
        return hub.subscribe(lastEventId, subscriber);
    }

    @Override
    public void onEvent(LanspreadEvent event) {
        hub.publish(event);
    }

    @Override
    public void libraryChanged(long revision) {
        // called on the library's notifier after the new state is visible: its game list is the new one
        hub.libraryChanged(revision, use(library, LocalLibrary::games, List.of()));
    }

    Hub hub() {
        return hub;
    }

    private HubEvent.Snapshot snapshot(String id, long sequence, Instant time, SnapshotReason reason) {
        List<Game> local = use(library, LocalLibrary::games, List.of());
        HubEvent.Snapshot withoutControl = new HubEvent.Snapshot(id, sequence, time, reason, null, List.of(), local,
                List.of(), List.of());
        return use(control, c -> new HubEvent.Snapshot(id, sequence, time, reason, c.status(), c.peers(), local,
                c.games(), c.downloads()), withoutControl);
    }

    /** Runs {@code action} on the service if it is there now; else, or if it fails, answers {@code otherwise}. */
    private static <S, T> T use(ComponentServiceObjects<S> objects, Function<S, T> action, T otherwise) {
        if (objects == null) {
            return otherwise;
        }
        S service;
        try {
            service = objects.getService();
        } catch (IllegalStateException e) {
            return otherwise; // unbound meanwhile
        }
        if (service == null) {
            return otherwise;
        }
        try {
            return action.apply(service);
        } catch (RuntimeException e) {
            LOG.warn("The event hub could not ask {} for its state", service, e);
            return otherwise;
        } finally {
            try {
                objects.ungetService(service);
            } catch (IllegalStateException | IllegalArgumentException e) {
                LOG.debug("service went away while in use", e);
            }
        }
    }
}
