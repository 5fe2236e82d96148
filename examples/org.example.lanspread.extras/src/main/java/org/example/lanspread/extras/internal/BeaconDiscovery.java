package org.example.lanspread.extras.internal;

import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

/**
 * The {@code beacon} discovery backend: every peer broadcasts a small UDP beacon on a configured port and hears
 * the others'. It works where mDNS does not (networks that drop multicast but pass broadcast, hosts whose mDNS
 * port belongs to another responder) and runs beside mDNS and the static list; the runtime merges what all
 * backends find. Owns its threads: a timer for announcements and expiry, and one receive thread per session.
 */
@Component(name = BeaconDiscovery.PID, service = DiscoveryBackend.class,
        property = DiscoveryBackend.NAME_PROPERTY + "=" + BeaconDiscovery.NAME)
@Designate(ocd = BeaconDiscovery.Config.class)
public final class BeaconDiscovery implements DiscoveryBackend {

    static final String PID = "org.example.lanspread.extras.beacon";
    static final String NAME = "beacon";
    private static final System.Logger LOG = System.getLogger(BeaconDiscovery.class.getName());

    @ObjectClassDefinition(name = "lanspread beacon discovery",
            description = "Finds peers by UDP broadcast beacons, where mDNS does not pass.")
    public @interface Config {
        @AttributeDefinition(name = "Port", min = "1", max = "65535",
                description = "UDP port beacons are sent to and heard on; the same on every peer.")
        int port() default 42424;

        @AttributeDefinition(name = "Interval (s)", min = "1", description = "Seconds between two announcements.")
        int interval_seconds() default 5;

        @AttributeDefinition(name = "Broadcast addresses", description = "IPv4 addresses to send beacons to, such "
                + "as 192.168.1.255 or 255.255.255.255; empty: the broadcast address of every network of this host.")
        String[] broadcast_addresses() default {};

        @AttributeDefinition(name = "Lost after (s)", min = "2",
                description = "A peer not heard for this long is reported lost (at least two intervals).")
        int lost_after_seconds() default 20;
    }

    private final ScheduledExecutorService timer;
    private final ExecutorService receivers;
    private final Set<BeaconSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile BeaconSettings settings;

    @Activate
    public BeaconDiscovery(Config config) {
        settings = settings(config);
        timer = Executors.newSingleThreadScheduledExecutor(threads("lanspread-beacon-timer"));
        receivers = Executors.newCachedThreadPool(threads("lanspread-beacon-receive"));
    }

    @Modified
    void modified(Config config) {
        settings = settings(config);
        for (BeaconSession session : sessions) {
            try {
                session.reconfigure(settings);
            } catch (SocketException e) {
                LOG.log(Level.WARNING, "beacon: cannot listen on UDP port " + settings.port() + " any more: "
                        + e.getMessage());
            }
        }
    }

    @Deactivate
    void deactivate() {
        List.copyOf(sessions).forEach(BeaconSession::close);
        timer.shutdownNow();
        receivers.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
            receivers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DiscoverySession start(LocalPeer self, DiscoveryListener listener) throws SocketException {
        BeaconSession session = new BeaconSession(self, listener, settings, timer, receivers,
                BroadcastTargets::ofThisHost, System::nanoTime, sessions::remove);
        sessions.add(session);
        try {
            session.start();
        } catch (SocketException e) {
            sessions.remove(session);
            throw new SocketException("cannot listen for beacons on UDP port " + settings.port() + ": "
                    + e.getMessage());
        }
        return session;
    }

    private static BeaconSettings settings(Config config) {
        List<String> rejected = new ArrayList<>();
        BeaconSettings s = new BeaconSettings(config.port(), config.interval_seconds() * 1000L,
                BroadcastTargets.configured(config.broadcast_addresses(), rejected),
                config.lost_after_seconds() * 1000L);
        if (!rejected.isEmpty()) {
            LOG.log(Level.WARNING, "beacon: ignoring broadcast addresses that are not IPv4 addresses: " + rejected);
        }
        return s;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
