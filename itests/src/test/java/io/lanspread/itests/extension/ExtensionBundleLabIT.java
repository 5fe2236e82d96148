package io.lanspread.itests.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.BigGame;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;
import io.lanspread.itests.support.TreeCompare;

/**
 * Issue 10: a third-party bundle extends running peers, installed and removed from the Gogo shell with the
 * peers never restarted. The LAN lab has four hosts: R (h1) runs {@code ./lanspread --console} and knows the two
 * sources S1 (h2) and S2 (h3) by {@code --peer}; B (h4) runs {@code --console} with no peer given. mDNS is off
 * everywhere. Each source link is shaped to {@value #SOURCE_MBIT} Mbit/s, so a download takes a while. S2's
 * address is on another subnet than R's (on the same wire), as a peer behind a router would be.
 *
 * <ol>
 * <li>While R downloads a game from both sources, {@code install} and {@code start} the example bundle on R: its
 * {@code nearest} planner (ranked above the built-in ones) takes the download over from its next request; the
 * download finishes byte-identical, the new planner planned requests (its own log line) but not all chunks (the
 * built-in one had planned the first ones), and the sources together served exactly the game's bytes: no chunk
 * lost, none sent twice. Under nearest the far source S2 serves much less than the near S1, over equal links. Both
 * kinds of deliberate second copy wait 60 s here (the engine's stall takeover and the nearest planner's endgame),
 * so that only the swap decides what is fetched.</li>
 * <li>Installed on B too, the {@code beacon} backend makes R and B find each other by UDP broadcast, which is
 * their only way to (B knows nobody); R keeps its static peers beside it, and the mDNS bundle started on both
 * runs beside the beacon.</li>
 * <li>On R, {@code planner.target=(lanspread.planner.name=even)} pins the built-in even planner although nearest
 * ranks higher; mid-download the pin moves to nearest, which takes over; then the bundle is stopped and
 * uninstalled mid-download: the download falls back to the built-in adaptive planner and completes byte-identical,
 * the beacon's UDP port is closed, and R still reaches its static peers and B (mDNS).</li>
 * </ol>
 * Peer logs are kept in target/lab-logs/ExtensionBundleLabIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionBundleLabIT {

    static final int SOURCE_MBIT = 30;
    static final String FIRST_GAME = "extras-one";
    static final String SECOND_GAME = "extras-two";
    static final int BEACON_PORT = 42424;
    static final String DOWNLOAD_PID = "io.lanspread.download";
    static final String NEAREST_PID = "org.example.lanspread.extras.nearest";
    static final String MDNS_BSN = "io.lanspread.discovery.mdns";
    /** S2's address: not on R's subnet (192.0.2.0/24), so the nearest planner counts it far. */
    static final String FAR_ADDRESS = "198.51.100.3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Lab lab;
    private Path work;
    private LabPeer receiver;
    private LabPeer source1;
    private LabPeer source2;
    private LabPeer loner;
    private Console receiverShell;
    private Console lonerShell;
    private long receiverPid;

    @BeforeAll
    void startPeers() throws Exception {
        Lab.assumeSupported();
        FileTrees.delete(LabPeer.logDir(getClass()));
        lab = Lab.create(4);
        work = Files.createTempDirectory("lanspread-extension");
        Path s1 = Files.createDirectories(work.resolve("s1"));
        Path s2 = Files.createDirectories(work.resolve("s2"));
        for (String game : List.of(FIRST_GAME, SECOND_GAME)) {
            Path written = BigGame.in(Files.createDirectories(s1.resolve("games")), game, "1.0", game.length())
                    .paks(2, 48 * BigGame.MIB).write();
            linkTree(written, s2.resolve("games").resolve(game));
        }
        LabHost h1 = lab.host(1);
        LabHost h2 = lab.host(2);
        LabHost h3 = lab.host(3);
        LabHost h4 = lab.host(4);
        // S2 sits on another subnet, as behind a router: its only address is 198.51.100.3/24 (on the same wire,
        // with on-link routes both ways, so it is reached at full speed but is not on R's network)
        ip(h3, "addr", "del", h3.address() + "/24", "dev", LabHost.IFACE);
        ip(h3, "addr", "add", FAR_ADDRESS + "/24", "dev", LabHost.IFACE);
        ip(h3, "route", "add", "192.0.2.0/24", "dev", LabHost.IFACE);
        ip(h1, "route", "add", "198.51.100.0/24", "dev", LabHost.IFACE);
        source1 = LabPeer.start(h2, h2.forward(LabPeer.HTTP_PORT), s1, "source-1", "--no-mdns");
        source2 = LabPeer.start(h3, h3.forward(LabPeer.HTTP_PORT), s2, "source-2", "--no-mdns");
        receiver = LabPeer.start(h1, h1.forward(LabPeer.HTTP_PORT), Files.createDirectories(work.resolve("r")),
                "receiver", "--no-mdns", "--console", "--peer", h2.address() + ":" + LabPeer.QUIC_PORT,
                "--peer", FAR_ADDRESS + ":" + LabPeer.QUIC_PORT);
        loner = LabPeer.start(h4, h4.forward(LabPeer.HTTP_PORT), Files.createDirectories(work.resolve("b")),
                "loner", "--no-mdns", "--console");
        for (LabPeer p : List.of(source1, source2, receiver, loner)) {
            p.awaitReady(180);
        }
        receiverPid = receiver.process().pid();
        receiverShell = new Console(receiver);
        lonerShell = new Console(loner);
        h2.shape(SOURCE_MBIT);
        h3.shape(SOURCE_MBIT);
        for (String game : List.of(FIRST_GAME, SECOND_GAME)) {
            Conditions.awaitValue(game + " listed on the receiver from both sources", 120,
                    () -> receiver.listsGameFrom(game, source1.peerId()) && receiver.listsGameFrom(game,
                            source2.peerId()) ? Boolean.TRUE : null);
        }
        // only what the planners ask for is fetched: the engine's stall takeover (a second copy on purpose) waits
        // 60 s, and so does the nearest planner's endgame (configured before its bundle is even installed)
        String download = receiverShell.configure(DOWNLOAD_PID, false, Map.of("stall.seconds", "60"), List.of());
        assertThat(download).contains("stall.seconds=60", "state.dir=");
        String nearest = receiverShell.configure(NEAREST_PID, true, Map.of("endgame.late.millis", "60000"), List.of());
        assertThat(nearest).contains("endgame.late.millis=60000");
        assertThat(receiverShell.bundleState()).isEqualTo("not installed");
    }

    @AfterAll
    void tearDown() throws Exception {
        for (LabPeer p : new LabPeer[] {source1, source2, receiver, loner}) {
            if (p != null) {
                p.keepLog(LabPeer.logDir(getClass()));
                Path log = p.home().resolve("state/lanspread.log");
                if (Files.exists(log)) {
                    Files.copy(log, LabPeer.logDir(getClass()).resolve(p.name() + "-lanspread.log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (lab != null) {
            lab.close();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void installedMidDownloadTheNearestPlannerTakesOverWithNoChunkLostOrSentTwice() throws Exception {
        long servedBefore = served();
        int mark = receiverShell.logLines().size();
        String id = startDownload(FIRST_GAME);
        JsonNode atInstall = awaitShare(id, 0.05);

        long[] before = {served(source1), served(source2)};
        long bundleId = receiverShell.installAndStart(ExtrasBundle.jar());
        receiverShell.awaitLog(mark, "download " + Pattern.quote(id) + " plans with nearest\\b", 30);
        long[] atSwap = {served(source1), served(source2)};
        receiverShell.awaitLog(mark, "nearest planned its first request of download " + Pattern.quote(id), 30);
        receiverShell.awaitLog(mark, "Discovery backend 'beacon' started", 30);
        assertThat(receiverShell.bundleState()).isEqualTo("Active");
        assertThat(receiverShell.answer("planners")).containsPattern("nearest\\s+100\\s+yes")
                .containsPattern("adaptive\\s+10\\s+no");

        JsonNode done = awaitEnd(id);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        long total = done.get("totalBytes").asLong();
        assertThat(TreeCompare.difference(source1.gamesDir().resolve(FIRST_GAME),
                receiver.gamesDir().resolve(FIRST_GAME))).isEmpty();
        // the session closes when the download ends, and tells what it planned
        Matcher tally = receiverShell.awaitLog(mark, "nearest planned (\\d+) requests \\((\\d+) chunks, (\\d+) of them"
                + " endgame copies\\) for download " + Pattern.quote(id), 30);
        long requests = Long.parseLong(tally.group(1));
        long chunks = Long.parseLong(tally.group(2));
        long chunkCount = chunkCount(source1.gamesDir().resolve(FIRST_GAME));
        long servedBytes = served() - servedBefore;
        long nearAfter = served(source1) - atSwap[0];
        long farAfter = served(source2) - atSwap[1];
        System.out.printf("extension: installed (bundle %d) at %d of %d bytes; nearest planned %d requests, %d of %d"
                + " chunks; the sources served %d bytes; before the swap near %d, far %d; after it near %d, far %d"
                + " (%.0f %%)%n", bundleId, atInstall.get("downloadedBytes").asLong(), total, requests, chunks,
                chunkCount, servedBytes, atSwap[0] - before[0], atSwap[1] - before[1], nearAfter, farAfter,
                100.0 * farAfter / Math.max(1, nearAfter));
        assertThat(requests).as("requests the new planner planned").isPositive();
        assertThat(chunks).as("the built-in planner had planned the first chunks").isLessThan(chunkCount);
        assertThat(tally.group(3)).as("endgame copies").isEqualTo("0");
        assertThat(servedBytes).as("bytes both sources served for a game of " + total + " bytes").isEqualTo(total);
        // equal links, but S2 is beyond R's subnet: under nearest it delivers its share (25 %) of what S1 does
        assertThat(farAfter).as("bytes the far source served under nearest, against " + nearAfter + " from the near"
                + " one").isPositive().isLessThan(nearAfter / 2);
        assertNeverRestarted();
    }

    @Test
    @Order(2)
    void theBeaconMakesTwoPeersWithoutMdnsOrStaticPeersFindEachOther() throws Exception {
        assertThat(udpPortsBound(receiver.host())).as("the beacon listens on R").contains(BEACON_PORT);
        Deadlines.never("B or R finding the other before B runs the beacon", System.nanoTime(), Duration.ofSeconds(6),
                () -> !loner.listedPeerIds().isEmpty() || receiver.listedPeerIds().contains(loner.peerId()),
                () -> "B: " + loner.get("/api/peers"));

        int rMark = receiverShell.logLines().size();
        int bMark = lonerShell.logLines().size();
        long started = System.nanoTime();
        lonerShell.installAndStart(ExtrasBundle.jar());
        long ms = Deadlines.within("R and B list each other", started, Duration.ofSeconds(30),
                () -> loner.listedPeerIds().contains(receiver.peerId())
                        && receiver.listedPeerIds().contains(loner.peerId()),
                () -> "B: " + loner.get("/api/peers") + " R: " + receiver.get("/api/peers"));
        System.out.printf("extension: R and B listed each other %d ms after the beacon bundle was installed on B%n",
                ms);
        // each heard the other's beacon
        lonerShell.awaitLog(bMark, "beacon: found peer " + receiver.peerId() + " at /?" + Pattern.quote(
                receiver.host().address() + ":" + LabPeer.QUIC_PORT), 30);
        receiverShell.awaitLog(rMark, "beacon: found peer " + loner.peerId() + " at /?" + Pattern.quote(
                loner.host().address() + ":" + LabPeer.QUIC_PORT), 30);
        // B learnt of no one else (the sources do not beacon); R keeps its static peers beside the beacon
        assertThat(loner.listedPeerIds()).containsExactly(receiver.peerId());
        assertThat(receiver.listedPeerIds()).containsExactlyInAnyOrder(source1.peerId(), source2.peerId(),
                loner.peerId());
        JsonNode listed = loner.get("/api/peers");
        assertThat(listed.get(0).get("address").asText()).contains(receiver.host().address());

        // side by side with mDNS: started on both, each still lists the other once (merged by peer id)
        for (Console shell : List.of(receiverShell, lonerShell)) {
            shell.answer("start " + shell.bundleId(MDNS_BSN).orElseThrow());
            assertThat(shell.bundleState(MDNS_BSN)).isEqualTo("Active");
        }
        Conditions.await("mDNS and the beacon both listening on R", 30, () -> {
            List<Integer> ports = udpPortsBound(receiver.host());
            return ports.contains(BEACON_PORT) && ports.contains(Lab.MDNS_PORT);
        }, () -> udpPortsBound(receiver.host()));
        receiverShell.awaitLog(rMark, "Discovery backend 'mdns' started", 30);
        assertThat(loner.listedPeerIds()).containsExactly(receiver.peerId());
        assertThat(receiver.listedPeerIds()).containsExactlyInAnyOrder(source1.peerId(), source2.peerId(),
                loner.peerId());
    }

    @Test
    @Order(3)
    void planner_target_selectsAPlannerAndRemovingTheBundleFallsBackToTheBuiltInOnesMidDownload() throws Exception {
        String pinned = receiverShell.configure(DOWNLOAD_PID, false,
                Map.of("planner.target", "(lanspread.planner.name=even)"), List.of());
        assertThat(pinned).contains("planner.target=(lanspread.planner.name=even)", "stall.seconds=60");
        Conditions.awaitValue("planners to show even in use", 20, () -> {
            String p = receiverShell.answer("planners");
            return p.matches("(?s).*even\\s+0\\s+yes.*") && p.matches("(?s).*nearest\\s+100\\s+no.*") ? p : null;
        });

        int mark = receiverShell.logLines().size();
        String id = startDownload(SECOND_GAME);
        receiverShell.awaitLog(mark, "download " + Pattern.quote(id) + " plans with even\\b", 30);
        awaitShare(id, 0.05);

        receiverShell.configure(DOWNLOAD_PID, false, Map.of("planner.target", "(lanspread.planner.name=nearest)"),
                List.of());
        receiverShell.awaitLog(mark, "download " + Pattern.quote(id) + " plans with nearest\\b", 30);
        receiverShell.awaitLog(mark, "nearest planned its first request of download " + Pattern.quote(id), 30);
        awaitShare(id, 0.30);

        // the operator lets downloads take the highest-ranked planner again and removes the extension
        String unpinned = receiverShell.configure(DOWNLOAD_PID, false, Map.of(), List.of("planner.target"));
        assertThat(unpinned).doesNotContain("planner.target").contains("stall.seconds=60");
        long bundleId = receiverShell.bundleId().orElseThrow();
        int stopMark = receiverShell.logLines().size();
        receiverShell.answer("stop " + bundleId);
        receiverShell.awaitLog(stopMark, "download " + Pattern.quote(id) + " plans with adaptive\\b", 30);
        JsonNode atStop = status(id);
        assertThat(atStop.get("state").asText()).as("still running when the bundle stopped: " + atStop)
                .isIn("RUNNING", "WAITING");
        receiverShell.answer("uninstall " + bundleId);
        assertThat(receiverShell.bundleState()).isEqualTo("not installed");
        receiverShell.awaitLog(stopMark, "nearest planned (\\d+) requests .* for download " + Pattern.quote(id), 30);
        receiverShell.awaitLog(stopMark, "beacon: stopped", 30);
        receiverShell.awaitLog(stopMark, "Discovery backend 'beacon' stopped", 30);

        JsonNode done = awaitEnd(id);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        assertThat(TreeCompare.difference(source1.gamesDir().resolve(SECOND_GAME),
                receiver.gamesDir().resolve(SECOND_GAME))).isEmpty();
        int finished = receiverShell.lineOf(mark, "Download " + Pattern.quote(id) + " of " + SECOND_GAME
                + " 1.0 finished");
        assertThat(finished).as("the download finished after the bundle was stopped")
                .isGreaterThan(receiverShell.lineOf(stopMark, "plans with adaptive"));

        // back to the built-in planners and backends: no nearest, no beacon socket, the static peers still there
        assertThat(receiverShell.answer("planners")).containsPattern("adaptive\\s+10\\s+yes").doesNotContain("nearest");
        List<Integer> ports = udpPortsBound(receiver.host());
        assertThat(ports).as("the beacon's port is closed, mDNS's is not").doesNotContain(BEACON_PORT)
                .contains(Lab.MDNS_PORT);
        assertThat(receiver.listedPeerIds()).containsExactlyInAnyOrder(source1.peerId(), source2.peerId(),
                loner.peerId());
        assertNeverRestarted();
    }

    private void assertNeverRestarted() throws Exception {
        assertThat(receiver.process().isAlive()).isTrue();
        assertThat(receiver.process().pid()).isEqualTo(receiverPid);
        assertThat(receiver.logText().lines().filter(l -> l.contains("lanspread ready peer=")).count()).isEqualTo(1);
        assertThat(receiver.get("/api/status").get("peerId").asText()).isEqualTo(receiver.peerId());
    }

    private String startDownload(String game) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.apiPort()
                + "/api/games/" + game + "/download")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("id").asText();
    }

    private JsonNode status(String id) throws Exception {
        for (JsonNode d : receiver.get("/api/downloads")) {
            if (id.equals(d.get("id").asText())) {
                return d;
            }
        }
        throw new AssertionError("no download " + id);
    }

    /** Waits until {@code share} of the download arrived; fails if it ends first. */
    private JsonNode awaitShare(String id, double share) {
        return Conditions.awaitValue(share * 100 + " % of download " + id, 120, () -> {
            JsonNode d = status(id);
            String state = d.get("state").asText();
            if (!state.equals("RUNNING") && !state.equals("WAITING")) {
                throw new AssertionError("the download ended before " + share * 100 + " %: " + d);
            }
            long total = d.get("totalBytes").asLong();
            return total > 0 && d.get("downloadedBytes").asLong() >= total * share ? d : null;
        });
    }

    private JsonNode awaitEnd(String id) {
        return Conditions.awaitValue("download " + id + " to end", 180, () -> {
            JsonNode d = status(id);
            String state = d.get("state").asText();
            return state.equals("RUNNING") || state.equals("WAITING") ? null : d;
        });
    }

    private long served() throws Exception {
        return served(source1) + served(source2);
    }

    private static long served(LabPeer source) throws Exception {
        return source.get("/api/status").get("servedBytes").asLong();
    }

    /** {@code ip <args>} inside a lab host. */
    private static void ip(LabHost host, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = IP;
        System.arraycopy(args, 0, cmd, 1, args.length);
        host.exec(cmd).orThrow();
    }

    private static final String IP = Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("ip");

    /** The UDP ports sockets are bound to in a host's namespace (IPv4 and IPv6), from /proc/net. */
    private static List<Integer> udpPortsBound(LabHost host) {
        List<Integer> ports = new ArrayList<>();
        for (String file : List.of("/proc/net/udp", "/proc/net/udp6")) {
            String table = host.exec("cat", file).output();
            for (String line : table.lines().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 1 && f[1].contains(":")) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** Chunks of a game: 512 KiB per chunk, file by file (version.ini counts as a file too). */
    private static long chunkCount(Path game) throws IOException {
        try (Stream<Path> walk = Files.walk(game)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                long size = p.toFile().length();
                return size == 0 ? 0 : (size + BigGame.CHUNK - 1) / BigGame.CHUNK;
            }).sum();
        }
    }

    /** The same game in a second games folder, as hard links (each source hashes and serves it itself). */
    private static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createLink(dest, p);
                }
            }
        }
    }
}
