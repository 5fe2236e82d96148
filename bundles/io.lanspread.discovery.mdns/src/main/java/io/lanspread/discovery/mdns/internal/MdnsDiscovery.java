package io.lanspread.discovery.mdns.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * Finds peers on the local network with multicast DNS (service type {@value MdnsLink#SERVICE_TYPE}) and
 * advertises this one. Each session owns its JmDNS instances and threads.
 */
@Component(name = MdnsDiscovery.PID, service = DiscoveryBackend.class,
        property = DiscoveryBackend.NAME_PROPERTY + "=" + MdnsDiscovery.NAME)
@Designate(ocd = MdnsDiscovery.Config.class)
public final class MdnsDiscovery implements DiscoveryBackend {

    static final String PID = "io.lanspread.discovery.mdns";
    static final String NAME = "mdns";

    @ObjectClassDefinition(name = "lanspread mDNS discovery",
            description = "Advertises this peer and finds others with multicast DNS")
    public @interface Config {
        @AttributeDefinition(description = "Interface names to use (such as eth0); empty means every "
                + "interface that is up, supports multicast and is not a loopback")
        String[] interfaces() default {};

        @AttributeDefinition(description = "How often the peers mDNS knows are reported again, and the first "
                + "interval between queries of the network for peers")
        long requery_interval_seconds() default 10;

        @AttributeDefinition(description = "Queries of the network back off, doubling their interval up to this "
                + "(RFC 6762 continuous querying); every query is answered by every peer")
        long requery_max_interval_seconds() default 300;

        @AttributeDefinition(description = "How often to look for interfaces that came or went")
        long interface_check_seconds() default 5;
    }

    private final Set<MdnsSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile MdnsSettings settings;

    @Activate
    public MdnsDiscovery(Config config) {
        modified(config);
    }

    /** Running sessions pick the new values up at their next check. */
    @Modified
    void modified(Config config) {
        settings = MdnsSettings.of(config.interfaces(), config.requery_interval_seconds(),
                config.interface_check_seconds(), config.requery_max_interval_seconds());
    }

    @Deactivate
    void deactivate() {
        // usually one session; each close is capped by MdnsSession.CLOSE_WAIT
        List.copyOf(sessions).forEach(MdnsSession::close);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DiscoverySession start(LocalPeer self, DiscoveryListener listener) {
        MdnsSession session = new MdnsSession(self, listener, () -> settings, InterfaceSelector::snapshot,
                sessions::remove);
        sessions.add(session);
        session.start();
        return session;
    }
}
