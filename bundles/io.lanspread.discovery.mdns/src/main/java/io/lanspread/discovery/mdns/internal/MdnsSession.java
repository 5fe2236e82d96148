package io.lanspread.discovery.mdns.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.jmdns.ServiceInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.DiscoverySession;
import io.lanspread.api.discovery.LocalPeer;

/**
 * Advertises one peer and browses on every selected interface, one {@link MdnsLink} each.
 *
 * <p>Threads: all bookkeeping and every listener call happen on the single {@code events} thread, so the
 * maps below need no locks; JmDNS callbacks only post to it. Every JmDNS call that may block (create,
 * start, resolve, list, re-register, close) runs on the {@code work} pool and posts its outcome back.
 * {@code lock} guards only the hand-over of links with {@link #close()}.
 */
final class MdnsSession implements DiscoverySession, MdnsLink.Events {

    static final String SOURCE = "mdns";
    static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
    /**
     * How long a binding stays unused while its previous link closes (its goodbyes take about 2 s). A new
     * instance probing meanwhile would hear the old one claim the same service name for another host name
     * and rename itself "(2)".
     */
    static final Duration REOPEN_WAIT = Duration.ofSeconds(3);
    static final Duration TEXT_RETRY = Duration.ofMillis(250);
    static final String THREAD_PREFIX = "lanspread-mdns-";

    private static final Logger LOG = LoggerFactory.getLogger(MdnsSession.class);

    private final DiscoveryListener listener;
    private final Supplier<MdnsSettings> settings;
    private final InterfaceSource interfaces;
    private final Consumer<MdnsSession> onClose;
    private final UUID uuid = UUID.randomUUID();
    private final AtomicInteger linkNumbers = new AtomicInteger();
    private final ScheduledThreadPoolExecutor events;
    private final ExecutorService work;

    private final Object lock = new Object();
    private final Map<Binding, MdnsLink> links = new HashMap<>(); // guarded by lock
    private boolean closed; // guarded by lock

    // events thread only
    /** Bindings whose link is being created or started; such a link gets no TXT or port changes yet. */
    private final Set<Binding> opening = new HashSet<>();
    /** Links closed by an interface check that may still be sending goodbyes; see {@link #REOPEN_WAIT}. */
    private final Map<Binding, MdnsLink> closing = new HashMap<>();
    private final Set<Binding> failing = new HashSet<>();
    private final Map<SeenKey, DiscoveredPeer> seen = new HashMap<>();
    private final Set<SeenKey> ignored = new HashSet<>();
    private LocalPeer self;
    private Map<String, String> txt;
    private String hostname;
    private String instanceName;
    private boolean textFlushScheduled;

    /** The machine's interfaces; replaceable in tests. */
    interface InterfaceSource {
        List<NetIf> snapshot() throws IOException;
    }

    private record SeenKey(Binding binding, String serviceName) {
    }

    MdnsSession(LocalPeer self, DiscoveryListener listener, Supplier<MdnsSettings> settings,
            InterfaceSource interfaces, Consumer<MdnsSession> onClose) {
        this.self = Objects.requireNonNull(self);
        this.listener = Objects.requireNonNull(listener);
        this.settings = settings;
        this.interfaces = interfaces;
        this.onClose = onClose;
        String threadName = THREAD_PREFIX + uuid.toString().substring(0, 8);
        events = new ScheduledThreadPoolExecutor(1, threads(threadName));
        events.setRemoveOnCancelPolicy(true);
        work = Executors.newCachedThreadPool(threads(threadName + "-work"));
    }

    /** Starts in the background: name lookup, then the first interface check. */
    void start() {
        events.execute(() -> {
            hostname = localHostName();
            instanceName = InstanceName.of(hostname, uuid);
            txt = TxtRecord.encode(self, hostname);
            LOG.info("mDNS advertising {} as {} (peer {})", MdnsLink.SERVICE_TYPE, instanceName, self.peerId());
            checkInterfaces();
            repeat(this::checkInterfaces, () -> settings.get().interfaceCheckInterval());
            repeat(this::relist, () -> settings.get().requeryInterval());
            queryLater(settings.get().requeryInterval());
        });
    }

    @Override
    public void update(LocalPeer peer) {
        post(() -> publish(peer));
    }

    @Override
    public void close() {
        List<MdnsLink> toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(links.values());
            links.clear();
        }
        onClose.accept(this);
        events.shutdownNow();
        long start = System.nanoTime();
        CompletableFuture<?>[] closing = toClose.stream()
                .map(link -> CompletableFuture.runAsync(link::close, work)).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("mDNS did not close within {} ms; leaving it to finish in the background", CLOSE_WAIT.toMillis());
        } catch (ExecutionException e) {
            LOG.debug("Closing mDNS failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdown();
        awaitQuietly(events);
        LOG.info("mDNS session {} closed in {} ms", uuid, (System.nanoTime() - start) / 1_000_000);
    }

    // ---- JmDNS callbacks (JmDNS threads): hand over, never block ----

    @Override
    public void added(MdnsLink link, String serviceName) {
        LOG.debug("mDNS service {} appeared on {}", serviceName, link);
        post(() -> {
            if (isActive(link)) {
                runBlocking(() -> link.resolve(serviceName, true));
            }
        });
    }

    @Override
    public void resolved(MdnsLink link, ServiceInfo info) {
        post(() -> onResolved(link, info));
    }

    @Override
    public void removed(MdnsLink link, String serviceName) {
        post(() -> {
            SeenKey key = new SeenKey(link.binding(), lower(serviceName));
            ignored.remove(key);
            DiscoveredPeer peer = seen.remove(key);
            if (peer != null && isActive(link)) {
                reportLost(peer);
            }
        });
    }

    // ---- events thread ----

    private void onResolved(MdnsLink link, ServiceInfo info) {
        if (!isActive(link)) {
            return;
        }
        SeenKey key = new SeenKey(link.binding(), lower(info.getName()));
        Map<String, String> txtRecord = MdnsLink.txtOf(info);
        if (txtRecord.isEmpty()) {
            return; // SRV and address arrived before the TXT record: wait for it
        }
        Advert advert = TxtRecord.decode(txtRecord);
        AdvertFilter.Verdict verdict = AdvertFilter.judge(advert, self);
        Inet4Address address = PeerAddresses.pick(info.getInet4Addresses(), link.binding());
        if (verdict != AdvertFilter.Verdict.ACCEPT) {
            if (ignored.add(key) && verdict != AdvertFilter.Verdict.SELF) {
                LOG.debug("Ignoring mDNS service {} on {}: {}", info.getName(), link, verdict);
            }
            DiscoveredPeer before = seen.remove(key);
            if (before != null) {
                reportLost(before); // it now says it is something else
            }
            return;
        }
        if (address == null || info.getPort() <= 0) {
            LOG.debug("mDNS service {} on {} has no usable IPv4 address or port yet", info.getName(), link);
            return; // partial answer: wait for the rest
        }
        ignored.remove(key);
        DiscoveredPeer peer = new DiscoveredPeer(SOURCE, new InetSocketAddress(address, info.getPort()),
                advert.peerId(), advert.libraryRevision());
        DiscoveredPeer before = seen.put(key, peer);
        if (before != null && !before.peerId().equals(peer.peerId())) {
            reportLost(before);
        }
        if (!peer.equals(before)) {
            LOG.debug("mDNS found {} on {}", peer, link);
        }
        deliver(() -> listener.found(peer));
    }

    private void checkInterfaces() {
        List<Binding> wanted;
        try {
            wanted = InterfaceSelector.select(interfaces.snapshot(), settings.get().interfaces());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot list network interfaces: {}", e.toString());
            return;
        }
        List<MdnsLink> gone = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (Iterator<Map.Entry<Binding, MdnsLink>> it = links.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Binding, MdnsLink> e = it.next();
                if (!wanted.contains(e.getKey())) {
                    it.remove();
                    gone.add(e.getValue());
                }
            }
        }
        for (MdnsLink link : gone) {
            LOG.info("mDNS stops on {}", link);
            forgetPeersOf(link.binding());
            closing.put(link.binding(), link);
            runBlocking(() -> {
                link.close();
                post(() -> closed(link));
            });
            schedule(() -> closed(link), REOPEN_WAIT);
        }
        for (Binding binding : wanted) {
            if (!hasLink(binding) && !closing.containsKey(binding) && opening.add(binding)) {
                String name = instanceName;
                int port = self.quicPort();
                Map<String, String> text = txt;
                runBlocking(() -> open(binding, name, port, text));
            }
        }
    }

    /** Events thread: the binding of a link closed by an interface check may be used again. */
    private void closed(MdnsLink link) {
        if (closing.remove(link.binding(), link)) {
            checkInterfaces();
        }
    }

    /**
     * Work thread: creates the instance, hands it over under the lock (so {@link #close()} finds it), starts
     * it (browsing first, then registering), then reports back to the events thread.
     */
    private void open(Binding binding, String name, int port, Map<String, String> text) {
        MdnsLink link;
        try {
            link = new MdnsLink(binding, name, InstanceName.hostLabel(uuid, linkNumbers.incrementAndGet(), binding.interfaceName()), this);
        } catch (IOException | RuntimeException e) {
            post(() -> {
                opening.remove(binding);
                if (failing.add(binding)) {
                    LOG.warn("Cannot start mDNS on {} (retrying quietly): {}", binding, e.toString());
                } else {
                    LOG.debug("Cannot start mDNS on {}: {}", binding, e.toString());
                }
            });
            return;
        }
        boolean kept;
        synchronized (lock) {
            kept = !closed;
            if (kept) {
                links.put(binding, link);
            }
        }
        if (!kept) {
            link.close();
            return;
        }
        long start = System.nanoTime();
        try {
            if (!link.start(port, text)) {
                post(() -> opening.remove(binding)); // closed meanwhile by close() or an interface check
                return;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                links.remove(binding, link);
            }
            post(() -> {
                opening.remove(binding);
                LOG.warn("Cannot advertise on {}: {}", link, e.toString()); // the next interface check tries again
            });
            link.close();
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        post(() -> started(link, port, text, millis));
    }

    /** Events thread: the link browses and advertises; catch up with changes made while it started. */
    private void started(MdnsLink link, int port, Map<String, String> text, long millis) {
        opening.remove(link.binding());
        failing.remove(link.binding());
        if (!isActive(link)) {
            return;
        }
        LOG.info("mDNS runs on {} (started in {} ms)", link, millis);
        if (self.quicPort() != port) {
            readvertise(link, self.quicPort(), txt);
        } else if (!text.equals(txt) && !link.offerText(txt)) {
            scheduleTextFlush();
        }
    }

    private void publish(LocalPeer peer) {
        LocalPeer before = self;
        self = peer;
        if (txt == null) {
            return; // not started yet: start() uses the new value
        }
        Map<String, String> newTxt = TxtRecord.encode(peer, hostname);
        boolean portChanged = before.quicPort() != peer.quicPort();
        if (newTxt.equals(txt) && !portChanged) {
            return;
        }
        txt = newTxt;
        for (MdnsLink link : startedLinks()) {
            if (portChanged) {
                readvertise(link, peer.quicPort(), newTxt);
            } else if (!link.offerText(newTxt)) {
                scheduleTextFlush();
            }
        }
    }

    private void readvertise(MdnsLink link, int port, Map<String, String> text) {
        runBlocking(() -> {
            try {
                link.readvertise(port, text);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot re-advertise on {}: {}", link, e.toString());
            }
        });
    }

    /** Retries held-back TXT changes until every link has taken them (see {@link MdnsLink#offerText}). */
    private void scheduleTextFlush() {
        if (textFlushScheduled) {
            return;
        }
        textFlushScheduled = true;
        try {
            events.schedule(() -> {
                textFlushScheduled = false;
                boolean pending = false;
                for (MdnsLink link : activeLinks()) {
                    pending |= !link.flushText();
                }
                if (pending) {
                    scheduleTextFlush();
                }
            }, TEXT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void relist() {
        for (MdnsLink link : startedLinks()) {
            runBlocking(link::relist);
        }
    }

    /**
     * Queries the network after {@code interval}, then again at growing intervals. A link's browsing begins
     * with three queries of its own and new peers announce themselves, so these only repair what both
     * missed; every query costs every peer on the network an answer, so they back off (RFC 6762 5.2).
     */
    private void queryLater(Duration interval) {
        schedule(() -> {
            try {
                for (MdnsLink link : startedLinks()) {
                    runBlocking(link::query);
                }
            } finally {
                queryLater(settings.get().nextQueryInterval(interval));
            }
        }, interval);
    }

    private void forgetPeersOf(Binding binding) {
        ignored.removeIf(k -> k.binding().equals(binding));
        for (Iterator<Map.Entry<SeenKey, DiscoveredPeer>> it = seen.entrySet().iterator(); it.hasNext();) {
            Map.Entry<SeenKey, DiscoveredPeer> e = it.next();
            if (e.getKey().binding().equals(binding)) {
                it.remove();
                reportLost(e.getValue());
            }
        }
    }

    /** Lost only when no other interface still sees the same peer: it is a hint for the runtime. */
    private void reportLost(DiscoveredPeer peer) {
        boolean elsewhere = seen.values().stream().anyMatch(p -> p.peerId().equals(peer.peerId()));
        if (!elsewhere) {
            LOG.debug("mDNS lost {}", peer);
            deliver(() -> listener.lost(peer));
        }
    }

    private void deliver(Runnable call) {
        if (isClosed()) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Discovery listener failed", e);
        }
    }

    /** Runs {@code task} now and then again after each interval, read anew every time. */
    private void repeat(Runnable task, Supplier<Duration> interval) {
        try {
            events.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("mDNS task failed", e);
                }
                repeat(task, interval);
            }, interval.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            events.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private boolean post(Runnable task) {
        try {
            events.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void runBlocking(Runnable task) {
        try {
            work.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.debug("mDNS call failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private boolean isActive(MdnsLink link) {
        synchronized (lock) {
            return !closed && links.get(link.binding()) == link;
        }
    }

    private boolean hasLink(Binding binding) {
        synchronized (lock) {
            return links.containsKey(binding);
        }
    }

    private List<MdnsLink> activeLinks() {
        synchronized (lock) {
            return new ArrayList<>(links.values());
        }
    }

    /** Events thread: the active links whose start has been reported back. */
    private List<MdnsLink> startedLinks() {
        List<MdnsLink> started = activeLinks();
        started.removeIf(link -> opening.contains(link.binding()));
        return started;
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private static String lower(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
