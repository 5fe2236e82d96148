package org.example.lanspread.extras.minimal;

import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryBackend;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

/** Reports the configured {@code ip:port} addresses every ten seconds (the runtime greets each one). */
@Component(service = DiscoveryBackend.class, property = DiscoveryBackend.NAME_PROPERTY + "=fixed")
@Designate(ocd = FixedPeers.Config.class)
public class FixedPeers implements DiscoveryBackend {

    @ObjectClassDefinition(name = "Fixed peers")
    public @interface Config {
        String[] addresses() default {};
    }

    private final String[] addresses;
    private final ScheduledExecutorService timer;

    @Activate
    public FixedPeers(Config config) {
        addresses = config.addresses();
        timer = Executors.newSingleThreadScheduledExecutor(); // this component's own thread
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow(); // the threads this component made end with it
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public DiscoverySession start(LocalPeer self, DiscoveryListener listener) {
        ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> {
            for (String a : addresses) {
                int colon = a.lastIndexOf(':');
                InetSocketAddress at = new InetSocketAddress(a.substring(0, colon),
                        Integer.parseInt(a.substring(colon + 1)));
                listener.found(new DiscoveredPeer("fixed", at, null, -1)); // the peer id is learnt by greeting it
            }
        }, 0, 10, TimeUnit.SECONDS);
        return () -> task.cancel(false); // close(): stop reporting
    }
}
