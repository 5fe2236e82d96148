package io.lanspread.discovery.staticlist.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

/**
 * Reports a configured list of peer addresses. Nothing is advertised: the peers at those addresses learn
 * about this one when it pings them, or from their own configuration.
 */
@Component(name = StaticDiscovery.PID, service = DiscoveryBackend.class,
        property = DiscoveryBackend.NAME_PROPERTY + "=" + StaticDiscovery.NAME)
@Designate(ocd = StaticDiscovery.Config.class)
public final class StaticDiscovery implements DiscoveryBackend {

    static final String PID = "io.lanspread.discovery.static";
    static final String NAME = "static";

    private static final Logger LOG = LoggerFactory.getLogger(StaticDiscovery.class);

    @ObjectClassDefinition(name = "lanspread static discovery",
            description = "Peers to contact by address, for networks where multicast discovery is blocked")
    public @interface Config {
        @AttributeDefinition(description = "Peer addresses as host:port or [ipv6]:port; an entry may also "
                + "hold several comma-separated addresses")
        String[] peers() default {};

        @AttributeDefinition(description = "How often every address is reported again, so that a peer "
                + "that starts later is found")
        long refresh_interval_seconds() default 10;
    }

    private final ScheduledExecutorService executor;
    private final HostResolver resolver;
    private final Set<StaticSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile List<PeerAddress> peers;
    private volatile long intervalSeconds;

    @Activate
    public StaticDiscovery(Config config) {
        this(config, HostResolver.SYSTEM);
    }

    StaticDiscovery(Config config, HostResolver resolver) {
        this.resolver = resolver;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lanspread-discovery-static");
            t.setDaemon(true);
            return t;
        });
        apply(config);
    }

    @Modified
    void modified(Config config) {
        apply(config);
        sessions.forEach(s -> s.schedule(intervalSeconds));
    }

    @Deactivate
    void deactivate() {
        sessions.forEach(StaticSession::close);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DiscoverySession start(LocalPeer self, DiscoveryListener listener) {
        StaticSession session = new StaticSession(executor, resolver, this::peers, listener, sessions::remove);
        sessions.add(session);
        session.schedule(intervalSeconds);
        return session;
    }

    List<PeerAddress> peers() {
        return peers;
    }

    private void apply(Config config) {
        peers = PeerList.parse(config.peers());
        intervalSeconds = Math.max(1, config.refresh_interval_seconds());
        LOG.info("Static discovery peers: {}", peers);
    }
}
