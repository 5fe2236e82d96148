package io.lanspread.itests.abuse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;

/**
 * The setting of the abuse tests: a LAN lab whose host 1 runs the peer under test (a real {@code ./lanspread}
 * at {@code -Xmx256m}), other hosts running lanspread peers or {@link AbuseClientMain} JVMs; client hosts get
 * extra addresses on their {@code eth0} so that their connections spread over several source addresses.
 * Everything talks over the lab's bridge only. Logs are kept under {@code target/lab-logs/<test>}.
 */
final class AbuseLab implements AutoCloseable {

    /**
     * The peer under test: the heap bound of the issue, native memory tracking (to read its direct memory),
     * and patience to start on a loaded machine. Its direct memory limit is the JVM's default.
     */
    static final String PEER_JAVA_OPTS = System.getProperty("abuse.peer.javaopts", "-Xmx256m")
            + " -XX:NativeMemoryTracking=summary -Dlanspread.ready.timeout=240 -Dds.lock.timeout.milliseconds=120000";
    /** Another lanspread peer (the honest downloader). */
    static final String OTHER_JAVA_OPTS = "-Xmx256m -XX:TieredStopAtLevel=1 -Dlanspread.ready.timeout=240"
            + " -Dds.lock.timeout.milliseconds=120000";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Lab lab;
    private final Path work;
    private final Class<?> owner;
    private final List<LabPeer> peers = new ArrayList<>();
    private final List<ClientProcess> clients = new ArrayList<>();

    private AbuseLab(Lab lab, Path work, Class<?> owner) {
        this.lab = lab;
        this.work = work;
        this.owner = owner;
    }

    static AbuseLab create(int hosts, Class<?> owner) throws IOException {
        Lab.assumeSupported();
        return new AbuseLab(Lab.create(hosts), Files.createTempDirectory("lanspread-abuse"), owner);
    }

    LabHost host(int i) {
        return lab.host(i);
    }

    Path work() {
        return work;
    }

    /**
     * The host's address and {@code count - 1} more added to its eth0 (192.0.2.(100 + 10 i + k)/24, on the
     * lab's subnet, so every host reaches them).
     */
    List<String> addresses(LabHost host, int count) {
        List<String> all = new ArrayList<>(List.of(host.address()));
        for (int k = 1; k < count; k++) {
            String a = "192.0.2." + (100 + 10 * host.index() + k);
            host.exec(ipBinary(), "addr", "add", a + "/24", "dev", LabHost.IFACE).orThrow();
            all.add(a);
        }
        return all;
    }

    /** A peer in {@code host} on the documented ports, its API forwarded when {@code api}. */
    LabPeer startPeer(LabHost host, String name, String javaOpts, boolean api, String... args) throws IOException {
        int apiPort = api ? host.forward(LabPeer.HTTP_PORT) : -1;
        LabPeer p = LabPeer.start(host, apiPort, work.resolve(name), name, Map.of("LANSPREAD_JAVA_OPTS", javaOpts), args);
        peers.add(p);
        return p;
    }

    ClientProcess startClient(LabHost host, String name, Map<String, String> args) throws IOException {
        ClientProcess c = ClientProcess.start(host, work.resolve("clients"), name, "192m", args);
        clients.add(c);
        return c;
    }

    /** POST {@code path} on {@code peer}'s API. */
    static HttpResponse<String> post(LabPeer peer, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + peer.apiPort() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code receiver} lists every one of {@code games} as offered by {@code source}. */
    static void awaitListed(LabPeer receiver, LabPeer source, List<String> games, int seconds) {
        Conditions.await(receiver.name() + " listing " + games + " from " + source.name(), seconds, () -> {
            try {
                for (String g : games) {
                    if (!receiver.listsGameFrom(g, source.peerId())) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        }, () -> "");
    }

    /** One timed download: from just before the POST to the first poll (every 50 ms) that shows it ended. */
    record Download(String game, String state, long bytes, double seconds, JsonNode last) {
        double mibPerSecond() {
            return bytes / 1048576.0 / seconds;
        }

        @Override
        public String toString() {
            return String.format("%s %s: %.1f MiB in %.2f s = %.1f MiB/s", game, state, bytes / 1048576.0, seconds,
                    mibPerSecond());
        }
    }

    /** Downloads {@code game} on {@code receiver}; gives up (state "UNFINISHED") after {@code limit}. */
    static Download download(LabPeer receiver, String game, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(receiver, "/api/games/" + game + "/download");
        if (r.statusCode() != 202) {
            throw new AssertionError(receiver.name() + ": POST download " + game + " -> " + r.statusCode() + " " + r.body());
        }
        String id = WireFrames.JSON.readTree(r.body()).get("id").asText();
        JsonNode last = null;
        while (System.nanoTime() - t0 < limit.toNanos()) {
            for (JsonNode d : receiver.get("/api/downloads")) {
                if (id.equals(d.path("id").asText())) {
                    last = d;
                }
            }
            String state = last == null ? "" : last.path("state").asText();
            if (state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return new Download(game, state, last.path("totalBytes").asLong(), (System.nanoTime() - t0) / 1e9, last);
            }
            Deadlines.pause(50);
        }
        return new Download(game, "UNFINISHED", last == null ? 0 : last.path("downloadedBytes").asLong(),
                (System.nanoTime() - t0) / 1e9, last);
    }

    private static String ipBinary() {
        for (String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "ip";
    }

    @Override
    public void close() throws IOException {
        Path logs = LabPeer.logDir(owner);
        peers.forEach(p -> p.keepLog(logs));
        try {
            lab.close();
        } finally {
            Files.createDirectories(logs);
            for (ClientProcess c : clients) {
                if (Files.exists(c.log())) {
                    Files.copy(c.log(), logs.resolve(c.name() + ".log"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            FileTrees.delete(work);
        }
    }
}
