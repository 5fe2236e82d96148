package io.lanspread.discovery.mdns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JmDNS instance on one interface address: advertises this peer there and forwards what it hears.
 * Callbacks arrive on JmDNS threads and are only handed to {@link Events}, which must not block.
 */
final class MdnsLink {

    static final String SERVICE_TYPE = "_lanspread._udp.local.";

    /** How long a resolve or list call may block a worker thread. */
    private static final long RESOLVE_TIMEOUT_MS = 1000;
    private static final long LIST_TIMEOUT_MS = 200;
    private static final Duration CLOSE_LINGER = Duration.ofSeconds(30);
    private static final Duration CLOSE_SETTLE = Duration.ofSeconds(2);
    private static final Duration CLOSE_POLL = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(MdnsLink.class);

    interface Events {
        void added(MdnsLink link, String serviceName);

        void resolved(MdnsLink link, ServiceInfo info);

        void removed(MdnsLink link, String serviceName);
    }

    private final Binding binding;
    private final String instanceName;
    private final String hostName;
    private final JmDNS jmdns;
    private final Events events;
    private final ServiceListener browser = new Browser(true);
    /** Never reports: re-adding it is what makes JmDNS send a fresh query. */
    private final ServiceListener queryTrigger = new Browser(false);
    /** Orders {@link #start} and {@link #close()}; never taken on the events thread. */
    private final Object lifecycle = new Object();
    private boolean closing; // guarded by lifecycle
    private ServiceInfo advertised; // guarded by this, like the two below
    private Map<String, String> pendingText;
    private long changedAt;

    /** Opens the JmDNS instance; nothing is sent until {@link #start}. Blocks briefly (socket setup). */
    MdnsLink(Binding binding, String instanceName, String hostName, Events events) throws IOException {
        this.binding = binding;
        this.instanceName = instanceName;
        this.hostName = hostName;
        this.events = events;
        // An InetAddress that carries its host name keeps JmDNS from a reverse DNS lookup, which can hang.
        InetAddress named = InetAddress.getByAddress(hostName, binding.address().getAddress());
        this.jmdns = JmDNS.create(named, hostName);
        if (!FastProbing.install(jmdns)) {
            LOG.debug("mDNS on {} probes at JmDNS's own pace (about 4 s until others see it)", binding);
        }
    }

    Binding binding() {
        return binding;
    }

    /**
     * Starts browsing (the first query goes out at once), then registers the service. Blocks for as long
     * as JmDNS's {@code registerService} does, so call it off the events thread. Serialised with
     * {@link #close()}: once closing has begun, nothing is registered.
     *
     * @return false when the link was closed first
     */
    boolean start(int port, Map<String, String> txt) throws IOException {
        synchronized (lifecycle) {
            if (closing) {
                return false;
            }
            jmdns.addServiceListener(SERVICE_TYPE, browser);
            ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, instanceName, port, 0, 0, txt);
            synchronized (this) {
                advertised = info; // not announced yet, so flushText holds changes back
                changedAt = System.nanoTime();
            }
            jmdns.registerService(info);
            return true;
        }
    }

    /**
     * Publishes new TXT values, now if JmDNS can take them, else at a later {@link #flushText()}.
     * JmDNS 3.6.1 re-announces on {@code setText} only when the service is fully announced; called while
     * the service is still probing or announcing, it drops the running task and the service is never
     * announced again. So a change waits until the service is announced.
     *
     * @return whether nothing is left pending
     */
    synchronized boolean offerText(Map<String, String> txt) {
        pendingText = txt;
        return flushText();
    }

    /** @return whether nothing is left pending */
    synchronized boolean flushText() {
        if (pendingText == null || advertised == null) {
            return pendingText == null;
        }
        if (!JmdnsQuirks.isAnnounced(advertised, changedAt)) {
            return false;
        }
        advertised.setText(pendingText);
        pendingText = null;
        changedAt = System.nanoTime();
        return true;
    }

    /** A new port needs a new SRV record: unregister (goodbye) and register again. Blocks for seconds. */
    void readvertise(int port, Map<String, String> txt) throws IOException {
        ServiceInfo old;
        synchronized (this) {
            old = advertised;
            advertised = null;
            pendingText = null;
        }
        if (old != null) {
            jmdns.unregisterService(old); // outside the lock: waits for the goodbyes
        }
        ServiceInfo fresh = ServiceInfo.create(SERVICE_TYPE, instanceName, port, 0, 0, txt);
        synchronized (this) {
            advertised = fresh;
            changedAt = System.nanoTime();
        }
        jmdns.registerService(fresh); // outside the lock: offerText on the events thread must not wait
    }

    /**
     * Queries the network again: JmDNS sends its PTR query only three times after a listener is added, so
     * a listener is re-added to send fresh ones (three queries, each answered by every peer).
     */
    void query() {
        jmdns.removeServiceListener(SERVICE_TYPE, queryTrigger);
        jmdns.addServiceListener(SERVICE_TYPE, queryTrigger);
    }

    /**
     * Reports every service JmDNS knows again, or resolves it when its records are incomplete: a peer the
     * runtime dropped while its records stayed cached is found again. Sends nothing for a complete
     * service. Blocks up to a second or so.
     */
    void relist() {
        for (ServiceInfo info : jmdns.list(SERVICE_TYPE, LIST_TIMEOUT_MS)) {
            if (info.hasData()) {
                events.resolved(this, info);
            } else {
                resolve(info.getName(), false);
            }
        }
    }

    /**
     * Asks for a service's SRV, TXT and address records; the answer arrives as a resolved event. A
     * persistent request keeps JmDNS watching the service's records, so later TXT changes are reported
     * too (a plain request stops listening after its three queries); ask persistently once per service.
     */
    void resolve(String serviceName, boolean persistent) {
        jmdns.requestServiceInfo(SERVICE_TYPE, serviceName, persistent, RESOLVE_TIMEOUT_MS);
    }

    /**
     * Sends goodbyes and closes the instance: about 2 s normally, 10 s or more when the interface is
     * already down (JmDNS waits for goodbyes it cannot send).
     */
    void close() {
        long start = System.nanoTime();
        synchronized (lifecycle) {
            closing = true; // waits for a start in progress, so its registration is closed too
        }
        closeQuietly();
        long lastClose = System.nanoTime();
        // JmDNS 3.6.1: close() does nothing while the instance recovers from an I/O error (its interface
        // went down), and a failed recovery leaves its timer threads and executor running for good. Wait
        // for the recovery to end, then reset the state and close again.
        while (JmdnsQuirks.threadsAlive(hostName) && System.nanoTime() - start < CLOSE_LINGER.toNanos()) {
            try {
                Thread.sleep(CLOSE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!JmdnsQuirks.recovering(hostName) && System.nanoTime() - lastClose > CLOSE_SETTLE.toNanos()) {
                LOG.debug("mDNS on {} survived close(); closing again", binding);
                JmdnsQuirks.resetState(jmdns);
                closeQuietly();
                lastClose = System.nanoTime();
            }
        }
        LOG.debug("mDNS on {} closed in {} ms", binding, (System.nanoTime() - start) / 1_000_000);
    }

    private void closeQuietly() {
        try {
            jmdns.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing mDNS on {} failed", binding, e);
        }
    }

    static Map<String, String> txtOf(ServiceInfo info) {
        Map<String, String> txt = new HashMap<>();
        for (Enumeration<String> names = info.getPropertyNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            String value = info.getPropertyString(name);
            if (value != null) {
                txt.put(name, value);
            }
        }
        return txt;
    }

    @Override
    public String toString() {
        return binding.toString();
    }

    private final class Browser implements ServiceListener {
        private final boolean reporting;

        Browser(boolean reporting) {
            this.reporting = reporting;
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            if (reporting) {
                events.added(MdnsLink.this, event.getName());
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            if (reporting) {
                events.removed(MdnsLink.this, event.getName());
            }
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            if (reporting && event.getInfo() != null) {
                events.resolved(MdnsLink.this, event.getInfo());
            }
        }
    }
}
