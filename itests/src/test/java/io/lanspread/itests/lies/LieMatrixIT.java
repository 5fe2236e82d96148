package io.lanspread.itests.lies;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.Deadlines;

/**
 * Issue 6, item 2 with item 8's lie matrix, on a real LAN (one lab, four hosts, six real
 * {@code ./lanspread} peers started once): a receiver on h1 downloads games in which one file,
 * {@link Lie#FILE}, lies in one of four ways, from honest peers on h2 and h3 and liars on h4: three
 * peer ids there (liar1..3, one address, so one vote); liar1 alone is the single liar of the other
 * configurations. Every configuration has its own game ids, placed only on the peers that configuration
 * needs, so the peers are shared and nothing is reinstalled.
 *
 * <pre>
 *   config                          peers                  (a) (b) (c)                      (d)
 *   1  1 liar vs 1 honest            h2, liar1              FAILED naming file and peers     FINISHED honest *
 *   2  1 liar vs 2 honest hosts      h2, h3, liar1          FINISHED honest, liar in notes   FINISHED honest
 *   3  3 liar ids on one host        h2, h3, liar1..3 (h4)  FINISHED honest, liars in notes  FINISHED honest
 *   4  1 liar vs 1 honest, ?from=h2  h2, liar1              FINISHED honest                  FINISHED honest *
 *   +  ?from=liar for (a)            h2, liar1              FINISHED with the liar's bytes, as the user asked
 *   +  ?from=liar for (c)            h2, liar1              never FINISHED: nobody has what its manifest says
 *   * counted at the sources (servedBytes): the liar was asked for chunks of the lying file, and the
 *     honest peer sent all of that file, so each of the liar's (all bad) chunks was refetched there
 * </pre>
 *
 * Lies (c) and (d) are made after the liar's peer listed (so hashed) the game: its file is overwritten in
 * place and its mtime restored, so its cached manifest stays in use. The (d) downloads run last: a peer
 * dropped for bad chunks must not change the outcome of another configuration. Peer logs and the
 * matrix are kept in target/lab-logs/LieMatrixIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LieMatrixIT {

    /** A download's terminal states (WAITING is not one: it waits for a source to come back). */
    private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELLED", "INTERRUPTED");
    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final Duration LISTING_LIMIT = Duration.ofSeconds(120);
    private static final Duration DOWNLOAD_LIMIT = Duration.ofSeconds(60);
    private static final Duration INSTALL_LIMIT = Duration.ofSeconds(15);
    /** Serve quiet time (3 s) + the watcher's debounce (0.4 s) + a margin. */
    private static final Duration AFTER_TAMPER_STABLE = Duration.ofMillis(4_500);
    private static final long POLL_MILLIS = 100;

    /** The configurations of the matrix. */
    enum Config {
        ONE_VS_ONE("c1", "1 corrupt vs 1 honest"),
        TWO_HONEST_HOSTS("c2", "1 corrupt vs 2 honest hosts"),
        THREE_IDS_ONE_HOST("c3", "3 corrupt ids on one host vs 2 honest hosts"),
        USER_CHOSE_HONEST("c4", "1 honest vs 1 corrupt, ?from=honest"),
        USER_CHOSE_LIAR("cl", "1 honest vs 1 corrupt, ?from=liar");

        final String key;
        final String description;

        Config(String key, String description) {
            this.key = key;
            this.description = description;
        }
    }

    /** What one download ended as. */
    record Outcome(Config config, Lie lie, int httpStatus, String state, String error, String notes, String bytes,
            long millis, Map<String, Long> served, String raw) {

        boolean finishedWithLiarBytes() {
            return "FINISHED".equals(state) && !"honest".equals(bytes);
        }

        String row() {
            return String.format("%-4s %-44s (%s) %-32s -> http %d, %-9s bytes=%-6s %5d ms | served by sources: %s"
                    + " | error=%s | notes=%s", config.key, config.description, lie.letter, lie.description, httpStatus,
                    state, bytes, millis, served, error, notes);
        }
    }

    private Lab lab;
    private Path work;
    private LiePeer receiver;
    private LiePeer honest1;
    private LiePeer honest2;
    private LiePeer liar;
    private final List<LiePeer> liarIds = new ArrayList<>();
    private final List<LiePeer> all = new ArrayList<>();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Map<Config, List<LiePeer>> honestOf = new EnumMap<>(Config.class);
    private final Map<Config, List<LiePeer>> liarsOf = new EnumMap<>(Config.class);
    private long classStart;
    private long setupMillis;

    @BeforeAll
    void buildTheLanAndStartEveryPeerOnce() throws Exception {
        classStart = System.nanoTime();
        Lab.assumeSupported(); // fails instead of skipping under CI=true
        FileTrees.delete(logDir());
        work = Files.createTempDirectory("lanspread-lies");
        lab = Lab.create(4);

        // placement first, so that every game is in place when its peer starts and hashes its library
        Path home1 = work.resolve("h1-receiver");
        Path home2 = work.resolve("h2-honest1");
        Path home3 = work.resolve("h3-honest2");
        List<Path> home4 = List.of(work.resolve("h4-liar1"), work.resolve("h4-liar2"), work.resolve("h4-liar3"));
        Map<Config, List<Path>> honestHomes = Map.of(Config.ONE_VS_ONE, List.of(home2),
                Config.TWO_HONEST_HOSTS, List.of(home2, home3), Config.THREE_IDS_ONE_HOST, List.of(home2, home3),
                Config.USER_CHOSE_HONEST, List.of(home2), Config.USER_CHOSE_LIAR, List.of(home2));
        List<Path> single = List.of(home4.get(0));
        Map<Config, List<Path>> liarHomes = Map.of(Config.ONE_VS_ONE, single, Config.TWO_HONEST_HOSTS, single,
                Config.THREE_IDS_ONE_HOST, home4, Config.USER_CHOSE_HONEST, single, Config.USER_CHOSE_LIAR, single);
        for (Config c : Config.values()) {
            for (Lie lie : liesOf(c)) {
                String id = gameId(c, lie);
                Path honest = lie.writeHonest(Files.createDirectories(work.resolve("ref/honest")), id);
                FileTrees.copy(honest, Files.createDirectories(work.resolve("ref/served")).resolve(id));
                lie.writeServed(work.resolve("ref/served").resolve(id));
                for (Path home : honestHomes.get(c)) {
                    FileTrees.copy(honest, Files.createDirectories(home.resolve("games")).resolve(id));
                }
                for (Path home : liarHomes.get(c)) {
                    Path game = Files.createDirectories(home.resolve("games")).resolve(id);
                    FileTrees.copy(honest, game);
                    lie.writeBefore(game);
                }
            }
        }

        honest1 = LiePeer.start(lab.host(2), "honest1", 42420, 42421, home2);
        honest2 = LiePeer.start(lab.host(3), "honest2", 42420, 42421, home3);
        for (int i = 0; i < 3; i++) {
            liarIds.add(LiePeer.start(lab.host(4), "liar" + (i + 1), 42420 + 10 * i, 42421 + 10 * i, home4.get(i)));
        }
        liar = liarIds.get(0);
        List<String> args = new ArrayList<>();
        for (LiePeer source : sources()) {
            args.add("--peer");
            args.add(source.quicAddress());
        }
        receiver = LiePeer.start(lab.host(1), "receiver", 42420, 42421, home1, args.toArray(new String[0]));
        all.add(receiver);
        all.addAll(sources());
        // every API reachable: the receiver's to drive it, the sources' to count what they send
        for (LiePeer p : all) {
            p.forwardApi();
        }
        for (LiePeer p : all) {
            p.awaitReady((int) START_LIMIT.toSeconds());
        }
        honestOf.put(Config.ONE_VS_ONE, List.of(honest1));
        honestOf.put(Config.TWO_HONEST_HOSTS, List.of(honest1, honest2));
        honestOf.put(Config.THREE_IDS_ONE_HOST, List.of(honest1, honest2));
        honestOf.put(Config.USER_CHOSE_HONEST, List.of(honest1));
        honestOf.put(Config.USER_CHOSE_LIAR, List.of(honest1));
        liarsOf.put(Config.ONE_VS_ONE, List.of(liar));
        liarsOf.put(Config.TWO_HONEST_HOSTS, List.of(liar));
        liarsOf.put(Config.THREE_IDS_ONE_HOST, List.copyOf(liarIds));
        liarsOf.put(Config.USER_CHOSE_HONEST, List.of(liar));
        liarsOf.put(Config.USER_CHOSE_LIAR, List.of(liar));
        long readyAt = System.nanoTime();
        System.out.printf("lies: lab and %d peers ready after %d ms%n", all.size(), millisSince(classStart));

        // a game is listed once quiet and hashed: listed from a liar means its manifest is cached
        awaitEveryGameListedFromItsHolders("before tampering", Duration.ZERO);
        System.out.printf("lies: every game listed from its holders %d ms after the peers were ready%n",
                millisSince(readyAt));
        for (Config c : Config.values()) {
            for (Lie lie : liesOf(c)) {
                for (LiePeer l : liarsOf.get(c)) {
                    String id = gameId(c, lie);
                    lie.tamperAfterHashing(l.gamesDir().resolve(id), work.resolve("ref/honest").resolve(id));
                }
            }
        }
        // a peer that took the in-place writes for a change would withdraw the game for the serve quiet
        // time (3 s) after the watcher's debounce; the lie only counts once the liars serve it again
        awaitEveryGameListedFromItsHolders("after tampering", AFTER_TAMPER_STABLE);
        setupMillis = millisSince(classStart);
        System.out.printf("lies: setup done after %d ms%n", setupMillis);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (lab == null && work == null) {
            return; // skipped (no lab here): nothing started, nothing to keep
        }
        try {
            List<String> rows = outcomes.stream().map(Outcome::row).collect(Collectors.toList());
            rows.add(String.format("setup %d ms, total %d ms", setupMillis, millisSince(classStart)));
            System.out.println("lies: matrix\n" + String.join("\n", rows));
            Files.createDirectories(logDir());
            Files.write(logDir().resolve("matrix.txt"), rows, StandardCharsets.UTF_8);
            all.forEach(p -> p.keepLog(logDir()));
        } finally {
            try {
                if (lab != null) {
                    lab.close();
                }
            } finally {
                if (work != null) {
                    FileTrees.delete(work);
                }
            }
        }
    }

    // ---- configuration 1: one liar against one honest peer: no strict majority ----

    @ParameterizedTest(name = "({0}) 1 corrupt vs 1 honest fails naming the file and both peers")
    @EnumSource(value = Lie.class, names = {"SAME_SIZE_OTHER_BYTES", "OTHER_SIZE", "LYING_MANIFEST"})
    @Order(1)
    void oneLiarAgainstOneHonestFailsNamingTheFileAndThePeersOnEachSide(Lie lie) throws Exception {
        Outcome o = download(Config.ONE_VS_ONE, lie, null);
        assertThat(o.state()).as("202, then the download FAILED: " + o.row()).isEqualTo("FAILED");
        assertThat(o.error()).as("the error names the file: " + o.row()).contains(Lie.FILE);
        assertThat(liar.isNamedIn(o.error())).as("the error names the liar " + liar + ": " + o.row()).isTrue();
        assertThat(honest1.isNamedIn(o.error())).as("the error names the honest peer " + honest1 + ": " + o.row())
                .isTrue();
        assertThat(receiver.gamesDir().resolve(gameId(Config.ONE_VS_ONE, lie))).as("nothing installed").doesNotExist();
    }

    // ---- configuration 2: one liar against two honest hosts ----

    @ParameterizedTest(name = "({0}) 1 corrupt vs 2 honest hosts finishes honest, the liar in notes")
    @EnumSource(value = Lie.class, names = {"SAME_SIZE_OTHER_BYTES", "OTHER_SIZE", "LYING_MANIFEST"})
    @Order(2)
    void oneLiarAgainstTwoHonestHostsFinishesWithTheHonestBytesAndNamesTheLiar(Lie lie) throws Exception {
        Outcome o = download(Config.TWO_HONEST_HOSTS, lie, null);
        assertFinishedHonest(o);
        assertThat(liar.isNamedIn(o.notes())).as("the notes name the liar " + liar + ": " + o.row()).isTrue();
    }

    // ---- configuration 3: three liar ids on one host: one host, one vote ----

    @ParameterizedTest(name = "({0}) 3 corrupt ids on one host vs 2 honest hosts finishes honest")
    @EnumSource(value = Lie.class, names = {"SAME_SIZE_OTHER_BYTES", "OTHER_SIZE", "LYING_MANIFEST"})
    @Order(3)
    void threeLiarIdsOnOneHostLoseToTwoHonestHosts(Lie lie) throws Exception {
        Outcome o = download(Config.THREE_IDS_ONE_HOST, lie, null);
        assertFinishedHonest(o);
        assertThat(liarIds.stream().anyMatch(m -> m.isNamedIn(o.notes())))
                .as("the notes name the liars on " + lab.host(4).address() + ": " + o.row()).isTrue();
    }

    // ---- configuration 4: the user chose the honest peer ----

    @ParameterizedTest(name = "({0}) 1 honest vs 1 corrupt, ?from=honest finishes honest")
    @EnumSource(value = Lie.class, names = {"SAME_SIZE_OTHER_BYTES", "OTHER_SIZE", "LYING_MANIFEST"})
    @Order(4)
    void theUserChoosingTheHonestPeerGetsTheHonestBytes(Lie lie) throws Exception {
        assertFinishedHonest(download(Config.USER_CHOSE_HONEST, lie, honest1));
    }

    // ---- the one lie that may win: the user chose the liar ----

    @Test
    @Order(5)
    void theUserChoosingTheLiarGetsTheLiarsBytesAsAsked() throws Exception {
        Outcome o = download(Config.USER_CHOSE_LIAR, Lie.SAME_SIZE_OTHER_BYTES, liar);
        assertThat(o.state()).as(o.row()).isEqualTo("FINISHED");
        assertThat(o.bytes()).as("byte-identical to what the chosen liar serves: " + o.row()).isEqualTo("liar");
    }

    /**
     * The user chose a liar whose manifest lies (c): it describes C1 and serves C2, and nobody has C1 for
     * the differing chunks. No chunk can pass the check, so the download must not finish; it fails, or
     * waits for a source that has the content (then it is cancelled here).
     */
    @Test
    @Order(6)
    void theUserChoosingALiarWhoseManifestLiesNeverFinishes() throws Exception {
        Set<String> notRunning = new HashSet<>(TERMINAL);
        notRunning.add("WAITING");
        Outcome o = download(Config.USER_CHOSE_LIAR, Lie.LYING_MANIFEST, liar, notRunning);
        String id = gameId(Config.USER_CHOSE_LIAR, Lie.LYING_MANIFEST);
        if (!TERMINAL.contains(o.state())) {
            String downloadId = LiePeer.json(o.raw()).path("id").asText();
            LiePeer.Reply cancelled = receiver.request("DELETE", "/api/downloads/" + downloadId);
            System.out.printf("lies: cancelled %s (%s): %d %s%n", downloadId, o.state(), cancelled.status(),
                    cancelled.body());
        }
        assertThat(o.state()).as("no chunk matches the chosen manifest: " + o.row()).isIn("FAILED", "WAITING",
                "INTERRUPTED");
        assertThat(receiver.gamesDir().resolve(id)).as("nothing installed: " + o.row()).doesNotExist();
    }

    // ---- (d) last: bad chunks under a true manifest, caught by the chunk check ----

    @Test
    @Order(7)
    void badChunksFromOneLiarAgainstOneHonestAreRefetchedFromTheHonestPeer() throws Exception {
        Outcome o = download(Config.ONE_VS_ONE, Lie.BAD_CHUNKS, null);
        reportBadChunkHandling(o, List.of(liar));
        assertFinishedHonest(o);
        assertTheLiarsChunksWereRefetchedFromTheHonestPeer(o);
    }

    @Test
    @Order(8)
    void badChunksFromOneLiarAgainstTwoHonestHostsAreRefetched() throws Exception {
        Outcome o = download(Config.TWO_HONEST_HOSTS, Lie.BAD_CHUNKS, null);
        reportBadChunkHandling(o, List.of(liar));
        assertFinishedHonest(o);
    }

    @Test
    @Order(9)
    void badChunksFromThreeLiarIdsOnOneHostAreRefetched() throws Exception {
        Outcome o = download(Config.THREE_IDS_ONE_HOST, Lie.BAD_CHUNKS, null);
        reportBadChunkHandling(o, liarIds);
        assertFinishedHonest(o);
    }

    @Test
    @Order(10)
    void badChunksWithTheHonestPeerChosenFinishHonest() throws Exception {
        Outcome o = download(Config.USER_CHOSE_HONEST, Lie.BAD_CHUNKS, honest1);
        reportBadChunkHandling(o, List.of(liar));
        assertFinishedHonest(o);
        assertTheLiarsChunksWereRefetchedFromTheHonestPeer(o);
    }

    // ---- the "done when": no lie ends FINISHED with other bytes unless the user chose the liar ----

    @Test
    @Order(11)
    void noLieEverFinishedWithBytesThatDifferFromTheHonestCopyUnlessTheUserChoseTheLiar() {
        List<Outcome> wrong = outcomes.stream()
                .filter(o -> !(o.config() == Config.USER_CHOSE_LIAR && o.lie() == Lie.SAME_SIZE_OTHER_BYTES))
                .filter(Outcome::finishedWithLiarBytes)
                .collect(Collectors.toList());
        assertThat(wrong).as("downloads that installed bytes other than the honest copy:\n"
                + wrong.stream().map(Outcome::row).collect(Collectors.joining("\n"))).isEmpty();
        assertThat(outcomes).as("the matrix ran").isNotEmpty();
        System.out.printf("lies: %d downloads, none FINISHED with a liar's bytes unless asked; %d ms so far%n",
                outcomes.size(), millisSince(classStart));
    }

    // ---- the download and its checks ----

    /**
     * Downloads the configuration's game with this lie onto the receiver ({@code ?from=} when
     * {@code from} is given), waits for a terminal state and, when FINISHED, for the installed copy,
     * and records what the installed bytes are: "honest", "liar", "other" or "none".
     */
    private Outcome download(Config config, Lie lie, LiePeer from) throws Exception {
        return download(config, lie, from, TERMINAL);
    }

    /** {@link #download(Config, Lie, LiePeer)}, waiting for one of {@code until} (states). */
    private Outcome download(Config config, Lie lie, LiePeer from, Set<String> until) throws Exception {
        String id = gameId(config, lie);
        awaitListed(id, holders(config), Duration.ofSeconds(20));
        long t0 = System.nanoTime();
        String path = "/api/games/" + id + "/download" + (from == null ? "" : "?from=" + from.peerId());
        Map<String, Long> servedBefore = served(holders(config));
        LiePeer.Reply started = receiver.post(path);
        Outcome o;
        if (started.status() != 202) {
            // a vote with no majority may be refused at once instead of failing as a download
            String error = errorOf(started);
            o = new Outcome(config, lie, started.status(), "REFUSED", error, "", installedBytes(id),
                    millisSince(t0), servedSince(servedBefore, holders(config)), started.body());
            assertThat(started.status()).as("POST " + path + " -> " + started.status() + " " + started.body())
                    .isBetween(400, 599);
        } else {
            String downloadId = started.json().path("id").asText();
            assertThat(downloadId).as("POST " + path + " -> " + started.body()).isNotBlank();
            JsonNode done = awaitState(downloadId, path, until);
            if ("FINISHED".equals(done.path("state").asText())) {
                awaitInstalled(id, done);
            }
            o = new Outcome(config, lie, 202, done.path("state").asText(), text(done.get("error")),
                    text(done.get("notes")), installedBytes(id), millisSince(t0),
                    servedSince(servedBefore, holders(config)), done.toString());
        }
        outcomes.add(o);
        System.out.println("lies: " + o.row());
        return o;
    }

    /** servedBytes of each peer, by name. */
    private static Map<String, Long> served(List<LiePeer> peers) throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (LiePeer p : peers) {
            m.put(p.name(), p.servedBytes());
        }
        return m;
    }

    /** What each peer sent since {@code before} (-1 where the status has no servedBytes). */
    private static Map<String, Long> servedSince(Map<String, Long> before, List<LiePeer> peers) throws Exception {
        Map<String, Long> now = served(peers);
        Map<String, Long> delta = new LinkedHashMap<>();
        now.forEach((name, v) -> delta.put(name, v < 0 || before.get(name) < 0 ? -1 : v - before.get(name)));
        return delta;
    }

    private JsonNode awaitState(String downloadId, String what, Set<String> until) throws Exception {
        long deadline = System.nanoTime() + DOWNLOAD_LIMIT.toNanos();
        JsonNode last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = findDownload(downloadId);
                lastError = null;
                if (last != null && until.contains(last.path("state").asText())) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("download " + downloadId + " (POST " + what
                        + ") did not end within " + DOWNLOAD_LIMIT.toSeconds() + " s; last: " + last
                        + "\nreceiver log tail:\n" + receiver.logTail(40));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            pause();
        }
    }

    private JsonNode findDownload(String downloadId) throws Exception {
        for (JsonNode d : receiver.get("/api/downloads")) {
            if (downloadId.equals(d.path("id").asText())) {
                return d;
            }
        }
        return null;
    }

    private void awaitInstalled(String id, JsonNode done) {
        Path versionIni = receiver.gamesDir().resolve(id).resolve("version.ini");
        long deadline = System.nanoTime() + INSTALL_LIMIT.toNanos();
        while (!Files.exists(versionIni)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("FINISHED but " + versionIni + " not there within " + INSTALL_LIMIT.toSeconds()
                        + " s: " + done);
            }
            pause();
        }
    }

    /** What the receiver has installed for {@code id}, compared with the honest and the liar's copy. */
    private String installedBytes(String id) throws IOException {
        Path installed = receiver.gamesDir().resolve(id);
        if (!Files.exists(installed)) {
            return "none";
        }
        if (GameFixture.difference(work.resolve("ref/honest").resolve(id), installed).isEmpty()) {
            return "honest";
        }
        if (GameFixture.difference(work.resolve("ref/served").resolve(id), installed).isEmpty()) {
            return "liar";
        }
        return "other";
    }

    private void assertFinishedHonest(Outcome o) throws IOException {
        String id = gameId(o.config(), o.lie());
        assertThat(o.state()).as(o.row() + "\nreceiver log lines about the download:\n"
                + String.join("\n", receiver.logLines(id + "|WARN|ERROR", 30))).isEqualTo("FINISHED");
        assertThat(o.bytes()).as("byte-identical to the honest copy: " + o.row() + "\n"
                + GameFixture.difference(work.resolve("ref/honest").resolve(id), receiver.gamesDir().resolve(id)))
                .isEqualTo("honest");
    }

    /**
     * With one honest peer and one liar whose every chunk of {@link Lie#FILE} is bad, counted at the
     * sources: the liar was asked for some of that file (it sent more than all the other files together),
     * so the chunk check was exercised, and the honest peer sent all of that file, so every chunk the
     * liar sent of it was refetched there.
     */
    private void assertTheLiarsChunksWereRefetchedFromTheHonestPeer(Outcome o) throws IOException {
        Path game = work.resolve("ref/honest").resolve(gameId(o.config(), o.lie()));
        long file = Files.size(game.resolve(Lie.FILE));
        long others = size(game) - file;
        long byLiar = o.served().get(liar.name());
        long byHonest = o.served().get(honest1.name());
        assertThat(byLiar).as("servedBytes in GET /api/status of " + liar + ": " + o.row()).isNotNegative();
        assertThat(byLiar).as("the liar sent some of " + Lie.FILE + " (more than the " + others
                + " bytes of the other files), else the chunk check was never exercised: " + o.row())
                .isGreaterThan(others);
        assertThat(byHonest).as("the honest peer sent all of " + Lie.FILE + " (" + file + " bytes): every chunk"
                + " of it the liar sent was bad and had to be refetched: " + o.row()).isGreaterThanOrEqualTo(file);
    }

    /** Prints what the receiver said about the liars' bad chunks (the bytes were checked already). */
    private void reportBadChunkHandling(Outcome o, List<LiePeer> liars) throws IOException {
        long game = size(work.resolve("ref/honest").resolve(gameId(o.config(), o.lie())));
        long byLiars = liars.stream().mapToLong(l -> o.served().getOrDefault(l.name(), -1L)).sum();
        long total = o.served().values().stream().mapToLong(Long::longValue).sum();
        boolean counted = o.served().values().stream().allMatch(v -> v >= 0);
        String downloadId = LiePeer.json(o.raw()).path("id").asText();
        List<String> lines = receiver.logLines(Pattern.quote(downloadId) + ".*(does not match|no longer used)", 50);
        System.out.printf("lies: (d) %s: game %d bytes; sources sent %s (%s); liars named in notes: %s; notes=%s;"
                + " the receiver's log on bad chunks:%n  %s%n", o.config().key, game, o.served(),
                !counted ? "servedBytes missing from /api/status"
                        : byLiars == 0 ? "VACUOUS: the liars sent nothing, the chunk check was not exercised"
                        : "liars sent " + byLiars + ", " + (total - game) + " bytes sent beyond the game's size",
                liars.stream().filter(l -> l.isNamedIn(o.notes())).map(LiePeer::name).toList(), o.notes(),
                String.join("\n  ", lines));
    }

    private static long size(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    // ---- setup helpers ----

    /**
     * Waits until the receiver lists every game from all its holders and has done so without a break
     * for {@code stableFor} (zero: once is enough).
     */
    private void awaitEveryGameListedFromItsHolders(String when, Duration stableFor) throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Config c : Config.values()) {
            for (Lie lie : liesOf(c)) {
                expected.put(gameId(c, lie), holders(c).stream().map(LiePeer::peerId).toList());
            }
        }
        long deadline = System.nanoTime() + LISTING_LIMIT.toNanos();
        Map<String, List<String>> missing = expected;
        Exception lastError = null;
        long since = -1;
        while (true) {
            try {
                JsonNode games = receiver.get("/api/games");
                Map<String, List<String>> now = new LinkedHashMap<>();
                for (var e : expected.entrySet()) {
                    List<String> listed = new ArrayList<>();
                    for (JsonNode g : games) {
                        if (e.getKey().equals(g.path("id").asText())) {
                            g.path("peers").forEach(p -> listed.add(p.asText()));
                        }
                    }
                    List<String> lacking = e.getValue().stream().filter(p -> !listed.contains(p)).toList();
                    if (!lacking.isEmpty()) {
                        now.put(e.getKey(), lacking.stream().map(this::nameOf).toList());
                    }
                }
                missing = now;
                lastError = null;
                if (!missing.isEmpty()) {
                    since = -1;
                } else if (since < 0) {
                    since = System.nanoTime();
                }
                if (since >= 0 && System.nanoTime() - since >= stableFor.toNanos()) {
                    return;
                }
            } catch (IOException e) {
                lastError = e;
                since = -1;
            }
            for (LiePeer p : all) {
                if (!p.alive()) {
                    throw new AssertionError(p + " died; log:\n" + p.logTail(60));
                }
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("games not listed from all their holders on the receiver "
                        + when + (stableFor.isZero() ? "" : " for " + stableFor.toMillis() + " ms without a break")
                        + " within " + LISTING_LIMIT.toSeconds() + " s; missing holders per game: " + missing
                        + "\nreceiver log tail:\n" + receiver.logTail(40));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            pause();
        }
    }

    private void awaitListed(String id, List<LiePeer> holders, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> want = holders.stream().map(LiePeer::peerId).toList();
        List<String> listed = List.of();
        while (true) {
            listed = receiver.holdersOf(id);
            if (listed.containsAll(want)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " not listed from " + holders + " within " + limit.toSeconds()
                        + " s; listed from " + listed.stream().map(this::nameOf).toList());
            }
            pause();
        }
    }

    private List<LiePeer> sources() {
        List<LiePeer> s = new ArrayList<>(List.of(honest1, honest2));
        s.addAll(liarIds);
        return s;
    }

    private List<LiePeer> holders(Config c) {
        List<LiePeer> h = new ArrayList<>(honestOf.get(c));
        h.addAll(liarsOf.get(c));
        return h;
    }

    private String nameOf(String peerId) {
        return all.stream().filter(p -> p.peerId().equals(peerId)).map(LiePeer::name).findFirst().orElse(peerId);
    }

    private static List<Lie> liesOf(Config c) {
        return c == Config.USER_CHOSE_LIAR ? List.of(Lie.SAME_SIZE_OTHER_BYTES, Lie.LYING_MANIFEST)
                : List.of(Lie.values());
    }

    private static String gameId(Config c, Lie lie) {
        return "lie-" + c.key + "-" + lie.letter;
    }

    private static String errorOf(LiePeer.Reply reply) {
        try {
            return text(reply.json().get("error"));
        } catch (IOException e) {
            return reply.body();
        }
    }

    /** A JSON string, or the strings of an array joined by " | ", or "" for null. */
    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.isTextual() ? n.asText() : n.toString()));
            return String.join(" | ", parts);
        }
        return node.isTextual() ? node.asText() : node.toString();
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static Path logDir() {
        return Path.of("target", "lab-logs", LieMatrixIT.class.getSimpleName()).toAbsolutePath();
    }

    private static void pause() {
        Deadlines.pause(POLL_MILLIS);
    }
}
