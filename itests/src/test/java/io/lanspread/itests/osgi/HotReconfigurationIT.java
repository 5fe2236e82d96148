package io.lanspread.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadManager;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.itests.support.BigGame;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.FreePorts;
import io.lanspread.itests.support.LanspreadTestSupport;
import io.lanspread.itests.support.PeerProcess;
import io.lanspread.itests.support.TreeDigest;

/**
 * Issue 10, item 5: every setting changes while a download runs, and nothing restarts and nothing fails. The peer
 * in the container (real Felix, SCR and Config Admin, the shipped bundles) downloads a game of 384 MiB from a real
 * {@code ./lanspread} peer on loopback, one chunk in flight at a time so that it runs long enough. While it runs,
 * the test changes, one after another and each time waiting until the download fetched more: the container's QUIC
 * client and server timeouts, its QUIC port, the sender's QUIC port and client timeouts (typed on the sender's Gogo
 * console, through Config Admin), the static peer list, the download manager, the orchestrator, the identity's name,
 * the catalog, mDNS (on loopback), the event hub, the download log and the HTTP access settings. The download must
 * finish byte-identical without ever being reported failed or cancelled, both ports must have moved (the old
 * sockets closed), and every component of the container and the sender's transport, orchestrator and download
 * manager must be the same instance as before: same component configuration id, same service id.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotReconfigurationIT extends LanspreadTestSupport {

    private static final String GAME = "hot-swap";
    private static final long MIB = BigGame.MIB;
    /** Each step must see the download fetch this much more before the next one. */
    private static final long STEP_BYTES = 2 * MIB;
    private static final Pattern SERVICE_ID = Pattern.compile("SID (\\S+) (\\d+)");

    /** Every component whose configuration the test changes, and those that use them. */
    private static final List<String> COMPONENTS = List.of("io.lanspread.identity",
            "io.lanspread.transport.quic.server", "io.lanspread.transport.quic.client", "io.lanspread.catalog",
            "io.lanspread.catalog.peers", "io.lanspread.discovery.static", "io.lanspread.discovery.mdns",
            "io.lanspread.download", "io.lanspread.peer", "io.lanspread.peer.control", "io.lanspread.events",
            "io.lanspread.bridge.shell.progress", "io.lanspread.bridge.shell.commands", "io.lanspread.bridge.http",
            "io.lanspread.bridge.http.events", "io.lanspread.bridge.http.access");

    /** The sender's services checked on its console: name and interface. */
    private static final Map<String, String> SENDER_SERVICES = Map.of("control",
            "io.lanspread.api.control.PeerControl", "server", "io.lanspread.api.transport.PeerServer", "client",
            "io.lanspread.api.transport.PeerClient", "downloads", "io.lanspread.api.download.DownloadManager",
            "identity", "io.lanspread.api.peer.LocalIdentity");

    @Inject
    BundleContext context;

    @Inject
    PeerControl control;

    @Inject
    DownloadManager downloads;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    ServiceComponentRuntime scr;

    private final List<String> reported = new CopyOnWriteArrayList<>();
    private Path work;
    private PeerProcess sender;
    private OutputStream senderConsole;
    private ServiceRegistration<DownloadListener> listener;
    private MoveWatch watch;

    /** One chunk in flight and a source set aside after 2 failed requests: the download runs long enough. */
    @Override
    protected void configure(Map<String, Map<String, Object>> configurations) {
        configuration(configurations, "io.lanspread.download").put("chunks.per.source", 1);
        configuration(configurations, "io.lanspread.download").put("drop.after.failures", 2);
    }

    @After
    public void cleanUp() throws Exception {
        if (watch != null) {
            watch.close();
        }
        if (listener != null) {
            listener.unregister();
        }
        if (sender != null) {
            sender.close();
            keepSenderLogs();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    public void everySettingChangesDuringADownloadWithoutARestartOrAFailure() throws Exception {
        work = Files.createTempDirectory("lanspread-hot-reconfiguration");
        Path home = Files.createDirectories(work.resolve("sender"));
        Path game = BigGame.in(Files.createDirectories(home.resolve("games")), GAME, "1", 10).paks(3, 128 * MIB)
                .file("readme.txt", 1234).write();
        sender = PeerProcess.start(home, "sender", "--no-mdns", "--console", "--verbose");
        sender.awaitReady(120);
        senderConsole = sender.process().getOutputStream();
        listener = context.registerService(DownloadListener.class, new Recorder(), new Hashtable<>());

        update("io.lanspread.discovery.static", "peers", new String[] {"127.0.0.1:" + sender.quicPort()});
        Conditions.await("the game listed from the sender", 120, this::listedFromSender, () -> control.games());

        Map<String, String> before = instances();
        Map<String, String> senderBefore = senderServiceIds();
        int receiverPortBefore = control.status().quicPort();
        int senderPortBefore = sender.quicPort();

        long started = System.nanoTime();
        String id = control.download(GAME).toCompletableFuture().get(30, TimeUnit.SECONDS).id();
        long at = progressed("the download to start", id, 0);

        // the transport's timeouts, live
        at = step(id, at, "io.lanspread.transport.quic.client", "request.timeout.seconds", 12,
                "chunk.timeout.seconds", 40, "connect.timeout.seconds", 1, "notice.timeout.seconds", 3);
        at = step(id, at, "io.lanspread.transport.quic.server", "request.timeout.seconds", 6, "io.threads", 4,
                "max.connections.per.address", 32);
        // the rest, live
        at = step(id, at, "io.lanspread.download", "waiting.timeout.seconds", 300, "progress.interval.millis", 250,
                "stall.seconds", 3);
        at = step(id, at, "io.lanspread.peer", "ping.interval.seconds", 5, "peer.timeout.seconds", 45);
        at = step(id, at, "io.lanspread.identity", "name", "paxexam-renamed");
        Conditions.await("the new name", 10, () -> control.status().name().equals("paxexam-renamed"),
                () -> control.status());
        at = step(id, at, "io.lanspread.catalog", "rescan.interval.seconds", 20, "serve.quiet.seconds", 2);
        at = step(id, at, "io.lanspread.discovery.mdns", "requery.interval.seconds", 20);
        at = step(id, at, "io.lanspread.events", "replay.buffer.size", 2048, "heartbeat.seconds", 10);
        at = step(id, at, "io.lanspread.bridge.shell.progress", "progress.interval.seconds", 2);
        at = step(id, at, "io.lanspread.bridge.http.access", "require.token", "auto");

        // the container's own QUIC port: the server moves to a new socket in the same component
        Conditions.await("the sender to know the container", 60, () -> senderKnowsReceiverAt(receiverPortBefore),
                this::senderPeers);
        int receiverPort = FreePorts.udp();
        at = step(id, at, "io.lanspread.transport.quic.server", "port", receiverPort);
        Conditions.await("the container's server on its new port", 30,
                () -> control.status().quicPort() == receiverPort, () -> control.status());
        Conditions.await("its old port closed", 30, () -> udpPortFree(receiverPortBefore), () -> receiverPortBefore);
        Conditions.await("the sender to know the container at its new port", 60,
                () -> senderKnowsReceiverAt(receiverPort), () -> senderPeers() + "; the container knows "
                        + control.peers() + " at " + java.time.Instant.now());

        // the sender's client timeouts and QUIC port, on its console
        senderConfigure("io.lanspread.transport.quic.client", "request.timeout.seconds", "11",
                "connect.timeout.seconds", "2");
        int senderPort = FreePorts.udp();
        long moved = System.nanoTime();
        long bytesAtMove = status(id).downloadedBytes();
        watch = new MoveWatch(id, senderPort, moved);
        senderConfigure("io.lanspread.transport.quic.server", "port", Integer.toString(senderPort));
        Conditions.await("the sender on its new port", 30, () -> senderQuicPort() == senderPort,
                () -> senderPortOrError());
        Conditions.await("the sender's old port closed", 30, () -> udpPortFree(senderPortBefore),
                () -> senderPortBefore);
        at = step(id, at, "io.lanspread.discovery.static", "peers", new String[] {"127.0.0.1:" + senderPort});
        Conditions.await("the container to know the sender at its new port", 60, this::senderKnownAtNewPort,
                () -> control.peers());
        at = progressed("the download to go on from the sender's new port", id, Math.max(at, bytesAtMove) + 8 * MIB);
        double pause = (System.nanoTime() - moved) / 1e9;
        watch.close();

        DownloadStatus done = Conditions.awaitValue("the download to end", 600, () -> {
            DownloadStatus s = status(id);
            return s.state().ended() ? s : null;
        });
        assertEquals(done.toString(), DownloadState.FINISHED, done.state());
        assertEquals("", TreeDigest.difference(TreeDigest.of(game), TreeDigest.of(control.status().gamesDir()
                .resolve(GAME))));
        assertEquals("downloads reported failed or cancelled", List.of(),
                reported.stream().filter(r -> r.startsWith("failed") || r.startsWith("cancelled")).toList());
        assertEquals("finished reports", 1, reported.stream().filter(r -> r.startsWith("finished")).count());

        assertEquals("the components (configuration id, service ids) after every change", before, instances());
        assertEquals("the sender's services after its changes", senderBefore, senderServiceIds());
        assertNotEquals(receiverPortBefore, control.status().quicPort());
        System.out.printf("hot reconfiguration: %d MiB downloaded in %.1f s, FINISHED; the container moved from QUIC port"
                + " %d to %d, the sender from %d to %d (8 MiB more arrived %.1f s after the sender's move); %d components"
                + " unchanged%n", done.totalBytes() / MIB, (System.nanoTime() - started) / 1e9, receiverPortBefore,
                receiverPort, senderPortBefore, senderPort, pause, before.size());
        System.out.printf("sender's move: the download stood still for at most %.1f s; the container's directory had"
                + " the new port %.1f s after the move, and the download fetched again %.1f s after that%n",
                watch.longestStillNanos / 1e9, (watch.knownAt - moved) / 1e9, (watch.resumedAt - watch.knownAt) / 1e9);
        // the peer's own introduction moves it in the directory (not the next discovery refresh, ~10 s), and the
        // download follows at its next tick (not after failed requests and the 5 s waiting recheck, 7-11 s)
        assertTrue("the container's directory had the sender's new port within 5 s of the move",
                watch.knownAt >= 0 && watch.knownAt - moved < TimeUnit.SECONDS.toNanos(5));
        assertTrue("the download fetched again within 3 s of the directory having the new port",
                watch.resumedAt >= 0 && watch.resumedAt - watch.knownAt < TimeUnit.SECONDS.toNanos(3));
        // and it kept going: a check that failed at the old port once dropped the peer, and the download
        // waited ~10 s for it to be found again
        assertTrue("the download stood still for less than 5 s around the sender's move",
                watch.longestStillNanos < TimeUnit.SECONDS.toNanos(5));
    }

    /** The sender's terminal and log, to {@code target/hot-reconfiguration/} (the work folder is deleted). */
    private void keepSenderLogs() throws IOException {
        Path kept = Files.createDirectories(Path.of("target", "hot-reconfiguration"));
        Files.writeString(kept.resolve("sender-terminal.log"), sender.logText());
        Path log = work.resolve("sender").resolve("state").resolve("lanspread.log");
        if (Files.exists(log)) {
            Files.copy(log, kept.resolve("sender-lanspread.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---- steps

    /**
     * Changes properties of one PID, waits until the component took them (its service or configuration properties
     * carry them),
     * and until the download fetched {@link #STEP_BYTES} more since; returns the bytes downloaded then.
     */
    private long step(String id, long downloadedBefore, String pid, Object... keysAndValues) throws Exception {
        DownloadStatus now = status(id);
        if (now.state().ended()) {
            throw new AssertionError("the download ended before " + pid + " was changed (the game is too small for"
                    + " this machine, or it failed): " + now);
        }
        System.out.println(java.time.Instant.now() + " changing " + pid + " " + java.util.Arrays.deepToString(keysAndValues)
                + " at " + now);
        update(pid, keysAndValues);
        Conditions.await(pid + " to take its new configuration", 30, () -> applied(pid, keysAndValues),
                () -> properties(pid));
        return progressed("the download to go on after " + pid + " changed", id,
                Math.max(downloadedBefore, now.downloadedBytes()) + STEP_BYTES);
    }

    /** Waits until the download has {@code bytes} (never ended in between); returns what it has then. */
    private long progressed(String what, String id, long bytes) {
        return Conditions.awaitValue(what, 180, () -> {
            DownloadStatus s = status(id);
            if (s.state() == DownloadState.FAILED || s.state() == DownloadState.CANCELLED) {
                throw new AssertionError("the download ended " + s.state() + " while " + what + ": " + s);
            }
            if (s.state() == DownloadState.FINISHED) {
                throw new AssertionError("the download finished before " + what
                        + " (the game is too small for this machine): " + s);
            }
            return s.downloadedBytes() >= bytes ? s.downloadedBytes() : null;
        });
    }

    private void update(String pid, Object... keysAndValues) throws IOException {
        Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        configuration.update(properties);
    }

    /** Whether the component's service shows every property now (DS copies the configuration onto it). */
    private boolean applied(String pid, Object... keysAndValues) {
        Map<String, Object> shown = properties(pid);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object want = keysAndValues[i + 1];
            Object have = shown.get((String) keysAndValues[i]);
            boolean same = want instanceof String[] w ? have instanceof String[] h && java.util.Arrays.equals(w, h)
                    : Objects.equals(want, have);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** The component's properties: on its service, or (a component without one) on its active configuration. */
    private Map<String, Object> properties(String componentName) {
        ServiceReference<?> reference = reference(componentName);
        Map<String, Object> out = new LinkedHashMap<>();
        if (reference != null) {
            for (String key : reference.getPropertyKeys()) {
                out.put(key, reference.getProperty(key));
            }
            return out;
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.name.equals(componentName)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
                    if (c.state == ComponentConfigurationDTO.ACTIVE) {
                        out.putAll(c.properties);
                    }
                }
            }
        }
        return out;
    }

    private ServiceReference<?> reference(String componentName) {
        try {
            ServiceReference<?>[] found = context.getServiceReferences((String) null,
                    "(component.name=" + componentName + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Per component: its active configuration's id and its service's id ("gone" when not active). */
    private Map<String, String> instances() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : COMPONENTS) {
            StringBuilder which = new StringBuilder();
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (!description.name.equals(name)) {
                    continue;
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
                    which.append("configuration ").append(c.id).append(c.state == ComponentConfigurationDTO.ACTIVE
                            ? " active" : " state " + c.state);
                }
            }
            ServiceReference<?> reference = reference(name);
            which.append(reference == null ? ", no service" : ", service " + reference.getProperty("service.id"));
            out.put(name, which.toString());
        }
        return out;
    }

    // ---- the sender, through its Gogo console

    /** Types Gogo lines that change properties of one PID through the sender's Config Admin. */
    private void senderConfigure(String pid, String... keysAndValues) throws IOException {
        console("hotCm = $.context getService ($.context getServiceReference org.osgi.service.cm.ConfigurationAdmin)");
        console("hotConf = $hotCm getConfiguration " + pid + " \"?\"");
        // a PID never configured has no properties (null) yet: start from an empty table then
        console("hotProps = if { $hotConf getProperties } { $hotConf getProperties } { new java.util.Hashtable }");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            console("$hotProps put " + keysAndValues[i] + " " + keysAndValues[i + 1]);
        }
        console("$hotConf update $hotProps");
    }

    /** The service ids of the sender's main services, echoed on its console. */
    private Map<String, String> senderServiceIds() throws IOException {
        int from = sender.logText().length();
        for (Map.Entry<String, String> s : SENDER_SERVICES.entrySet()) {
            console("echo SID " + s.getKey() + " (($.context getServiceReference " + s.getValue()
                    + ") getProperty service.id)");
        }
        return Conditions.awaitValue("the sender's service ids on its console", 30, () -> {
            Map<String, String> ids = new java.util.TreeMap<>();
            Matcher m = SERVICE_ID.matcher(sender.logText().substring(from));
            while (m.find()) {
                ids.put(m.group(1), m.group(2));
            }
            return ids.keySet().equals(SENDER_SERVICES.keySet()) ? ids : null;
        });
    }

    private void console(String line) throws IOException {
        senderConsole.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        senderConsole.flush();
    }

    private int senderQuicPort() {
        try {
            return sender.get("/api/status").get("quicPort").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private String senderPortOrError() {
        return senderQuicPort() + "; log:\n" + sender.logText();
    }

    private boolean senderKnowsReceiverAt(int port) {
        JsonNode peers = senderPeers();
        if (peers == null) {
            return false;
        }
        for (JsonNode p : peers) {
            if (p.get("address").asText().endsWith(":" + port)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode senderPeers() {
        try {
            return sender.get("/api/peers");
        } catch (Exception e) {
            return null;
        }
    }

    // ---- the container's view

    private boolean listedFromSender() {
        for (GameListing g : control.games()) {
            if (g.game().id().equals(GAME) && g.peerIds().contains(sender.peerId())) {
                return true;
            }
        }
        return false;
    }

    private boolean senderKnownAtNewPort() {
        int port = senderQuicPort();
        for (PeerInfo p : control.peers()) {
            if (p.peerId().equals(sender.peerId())) {
                return p.address().getPort() == port;
            }
        }
        return false;
    }

    private DownloadStatus status(String id) {
        return downloads.download(id).orElseThrow(() -> new AssertionError("no download " + id));
    }

    /** Whether nothing listens on the UDP port any more (a socket can be bound to it). */
    private static boolean udpPortFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                port))) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    /** What the download manager tells its listeners, in order. */
    /**
     * Watches the sender's move from the container's side, every 20 ms on its own thread until closed: the longest
     * time the download fetched nothing, when the container's directory had the sender at its new port, and when
     * the download fetched again after that.
     */
    private final class MoveWatch implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        volatile long longestStillNanos;
        volatile long knownAt = -1;
        volatile long resumedAt = -1;

        MoveWatch(String id, int newPort, long since) {
            thread = new Thread(() -> {
                long bytes = status(id).downloadedBytes();
                long changedAt = since;
                while (!stop) {
                    long now = System.nanoTime();
                    long b = status(id).downloadedBytes();
                    if (knownAt < 0 && control.peers().stream().anyMatch(p -> p.peerId().equals(sender.peerId())
                            && p.address().getPort() == newPort)) {
                        knownAt = now;
                    }
                    if (b != bytes) {
                        if (now - changedAt > 1_000_000_000L) {
                            DownloadStatus st = status(id);
                            System.out.printf("sender's move: the download stood still %.1f s until %.1f s after the move"
                                    + " (%s, %d source(s), notes %s, the container knows %s)%n", (now - changedAt) / 1e9,
                                    (now - since) / 1e9, st.state(), st.sources(), st.notes(),
                                    control.peers().stream().map(p -> p.address().toString()).toList());
                        }
                        longestStillNanos = Math.max(longestStillNanos, now - changedAt);
                        bytes = b;
                        changedAt = now;
                        if (knownAt >= 0 && resumedAt < 0) {
                            resumedAt = now;
                        }
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // the sampling interval
                }
            }, "hot-reconfiguration-move-watch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5000);
        }
    }

    private final class Recorder implements DownloadListener {
        @Override
        public void begin(DownloadStatus status) {
            reported.add("begin " + status.state());
        }

        @Override
        public void finished(DownloadStatus status) {
            reported.add("finished " + status.state());
        }

        @Override
        public void failed(DownloadStatus status) {
            reported.add("failed " + status.state() + ": " + status.error());
        }

        @Override
        public void cancelled(DownloadStatus status) {
            reported.add("cancelled " + status.state());
        }
    }
}
