package io.lanspread.itests.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The lanspread feature in a real Apache Karaf 4.4.10 (one Karaf for the whole class, its steps in order),
 * next to a {@code ./lanspread} peer on loopback. The feature repository comes from the KAR the features
 * module builds (its repository/ folder, as a Maven repository Karaf checks first); everything else Karaf
 * needs comes from its own system/ folder and, read only and offline, the local Maven repository.
 *
 * <p>In the machine's own network namespace mDNS stays off: the Karaf peer's mDNS backend is bound to an
 * interface that does not exist, the Felix peer runs with {@code --no-mdns}; they meet through the static
 * list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafFeatureIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String KARAF_GAME = "karaf-game";
    private static final String FELIX_GAME = "felix-game";
    private static final Pattern BUNDLE_LINE = Pattern.compile("^\\s*(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|.*\\|\\s*(\\S+)\\s*$");

    private final String version = System.getProperty("lanspread.version", "0.1.0-SNAPSHOT");
    private final String repositoryUrl = "mvn:io.lanspread/lanspread-features/" + version + "/xml/features";
    private Path run;
    private Path kar;
    private Path karRepository;
    private Path localRepository;
    private Set<String> lanspreadBundles;
    private Karaf karaf;
    private FelixPeer felix;
    private Api api;
    private Path karafGames;
    private int firstQuicPort;
    private int quicPort;
    private String karafPeerId;

    @BeforeAll
    void startKarafAndAFelixPeer() throws Exception {
        Path runs = Files.createDirectories(Paths.get("target", "karaf-it").toAbsolutePath());
        deleteEarlierRuns(runs);
        run = Files.createDirectories(runs.resolve("run-" + System.currentTimeMillis()));
        kar = Paths.get(System.getProperty("lanspread.kar")).toAbsolutePath().normalize();
        karRepository = unzipRepository(kar, run.resolve("kar-contents"));
        lanspreadBundles = bundlesIn(karRepository);
        localRepository = Paths.get(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));

        karaf = Karaf.prepare(Paths.get(System.getProperty("karaf.dist.dir")), run.resolve("karaf"), localRepository,
                List.of(karRepository));
        karafGames = Files.createDirectories(run.resolve("karaf-games"));
        Games.write(karafGames, KARAF_GAME, "2.0", 7);
        firstQuicPort = freeUdpPort();
        // written before the feature is installed: the components start with them
        karaf.writeConfig("io.lanspread.catalog", Map.of("games.dir", karafGames.toString()));
        karaf.writeConfig("io.lanspread.identity", Map.of("name", "karaf-peer"));
        karaf.writeConfig("io.lanspread.transport.quic.server", Map.of("bind.address", "127.0.0.1", "port", String.valueOf(firstQuicPort)));
        karaf.writeConfig("io.lanspread.discovery.mdns", Map.of("interfaces", "no-such-interface"));
        api = new Api(karaf::httpPort, this::token);

        Path felixHome = Files.createDirectories(run.resolve("felix"));
        Games.write(Files.createDirectories(felixHome.resolve("games")), FELIX_GAME, "1.0", 11);
        felix = FelixPeer.start(felixHome, "felix-peer");
        karaf.start();
        felix.awaitReady((int) START.toSeconds());
        Poll.until("Karaf's shell answers", START,
                () -> karaf.run("bundle:list -s -t 0 | grep org.apache.karaf.features.core"),
                out -> out.contains("Active"), karaf::logTail);
    }

    @AfterAll
    void stop() throws Exception {
        if (felix != null) {
            felix.close();
        }
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    @Order(1)
    void theFeatureRepositoryIsAddedAndTheFeatureInstalls() throws Exception {
        karaf.runOk("feature:repo-add " + repositoryUrl);
        assertThat(karaf.runOk("feature:list | grep lanspread")).contains("lanspread-deps").contains("lanspread ");
        karaf.runOk("feature:install lanspread");
        everyLanspreadBundleActiveAndComponentSatisfied();
    }

    @Test
    @Order(2)
    void theApiAsksForTheTokenBecausePaxWebListensOnEveryAddress() throws Exception {
        HttpResponse<String> refused = Poll.until("the API answers", STEP, () -> api.send("GET", "/api/status", false),
                r -> r.statusCode() != 503 && r.statusCode() != 404, karaf::logTail);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(Api.parse(refused.body()).get("error").asText()).contains("token");
        for (String path : List.of("/api/peers", "/api/games", "/api/downloads", "/api/events", "/api/games/x")) {
            HttpResponse<String> r = api.send("GET", path, false);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(Api.parse(r.body()).get("error").asText()).as(path).contains("token");
        }
        assertThat(api.send("POST", "/api/games/x/download", false).statusCode()).isEqualTo(401);
        // nothing but the login page is served without the token
        HttpResponse<String> page = api.send("GET", "/", false);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).matches("(http://[^/]+)?/login");
        assertThat(api.send("GET", "/assets/app.js", false).statusCode()).as("the main page's script").isEqualTo(302);
        HttpResponse<String> login = api.send("GET", "/login", false);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("action=\"/api/login\"");
        // the default state.dir (.lanspread) is relative: it ends up in Karaf's base folder
        assertThat(karaf.home().resolve(".lanspread/http-token")).isRegularFile();
        JsonNode status = Poll.until("the API answers with the token", STEP, () -> api.get("/api/status"), s -> true, karaf::logTail);
        karafPeerId = status.get("peerId").asText();
        assertThat(karafPeerId).isNotBlank().isNotEqualTo(felix.peerId());
        thePageIsAtTheRoot();
    }

    /** Pax Web maps the page's empty pattern to "/", where the API bridge's fallback servlet is too. */
    private void thePageIsAtTheRoot() throws Exception {
        HttpResponse<String> page = api.send("GET", "/", true);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        HttpResponse<String> none = api.send("GET", "/no-such-page", true);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(Api.parse(none.body()).get("error").asText()).as(none.body()).isNotBlank();
    }

    @Test
    @Order(3)
    void configurationFromEtcTakesEffectAndAChangeIsPickedUpWithoutRestart() throws Exception {
        JsonNode status = api.get("/api/status");
        assertThat(status.get("name").asText()).isEqualTo("karaf-peer");
        assertThat(Paths.get(status.get("gamesDir").asText())).isEqualTo(karafGames);
        assertThat(status.get("quicPort").asInt()).isEqualTo(firstQuicPort);
        assertThat(karaf.udpPorts()).contains(firstQuicPort);
        Poll.until("the Karaf peer lists its own game", STEP, () -> api.get("/api/games"),
                games -> hasGame(games, KARAF_GAME, true), karaf::logTail);

        quicPort = freeUdpPort();
        karaf.writeConfig("io.lanspread.transport.quic.server", Map.of("bind.address", "127.0.0.1", "port", String.valueOf(quicPort)));
        Poll.until("the QUIC server moves to the port of the changed .cfg", STEP, () -> api.get("/api/status"),
                s -> s.get("quicPort").asInt() == quicPort, karaf::logTail);
        Poll.until("the old QUIC port is closed and the new one open", STEP, karaf::udpPorts,
                ports -> ports.contains(quicPort) && !ports.contains(firstQuicPort), karaf::logTail);
        assertThat(karaf.alive()).isTrue();
    }

    @Test
    @Order(4)
    void aStaticPeerWrittenToItsCfgIsFoundAndFindsThisPeerBack() throws Exception {
        assertThat(api.get("/api/peers")).as("no peer before the static list names one").isEmpty();
        karaf.writeConfig("io.lanspread.discovery.static", Map.of("peers", "127.0.0.1:" + felix.quicPort()));
        Poll.until("the Karaf peer finds the ./lanspread peer", STEP, () -> api.get("/api/peers"),
                peers -> hasPeer(peers, felix.peerId()), karaf::logTail);
        Poll.until("the ./lanspread peer knows the Karaf peer", STEP, () -> felix.api.get("/api/peers"),
                peers -> hasPeer(peers, karafPeerId), felix::logText);
    }

    @Test
    @Order(5)
    void eachPeerDownloadsTheOthersGameByteIdentical() throws Exception {
        Poll.until("the Karaf peer lists the ./lanspread peer's game", STEP, () -> api.get("/api/games"),
                games -> hasGame(games, FELIX_GAME, false), karaf::logTail);
        Poll.until("the ./lanspread peer lists the Karaf peer's game", STEP, () -> felix.api.get("/api/games"),
                games -> hasGame(games, KARAF_GAME, false), felix::logText);
        api.post("/api/games/" + FELIX_GAME + "/download", 202);
        felix.api.post("/api/games/" + KARAF_GAME + "/download", 202);
        Poll.until("Karaf installs " + FELIX_GAME, STEP, () -> api.get("/api/games"),
                games -> hasGame(games, FELIX_GAME, true), karaf::logTail);
        Poll.until("./lanspread installs " + KARAF_GAME, STEP, () -> felix.api.get("/api/games"),
                games -> hasGame(games, KARAF_GAME, true), felix::logText);
        assertThat(Games.difference(run.resolve("felix/games/" + FELIX_GAME), karafGames.resolve(FELIX_GAME))).isEmpty();
        assertThat(Games.difference(karafGames.resolve(KARAF_GAME), run.resolve("felix/games/" + KARAF_GAME))).isEmpty();
    }

    @Test
    @Order(6)
    void theLanspreadCommandsAnswerInKarafsShell() throws Exception {
        // the client's batch mode prints what a command returns only when it is piped
        assertThat(karaf.runOk("lanspread:status | grep .")).contains(karafPeerId).contains("karaf-peer");
        assertThat(karaf.runOk("lanspread:peers | grep .")).contains("felix-peer");
        assertThat(karaf.runOk("lanspread:games | grep .")).contains(KARAF_GAME).contains(FELIX_GAME);
        assertThat(karaf.runOk("lanspread:downloads | grep .")).contains(FELIX_GAME);
        assertThat(karaf.runOk("lanspread:planners | grep .")).contains("adaptive");
    }

    @Test
    @Order(7)
    void requestsPaxWebsJettyRefusesItselfAreAnsweredWithTheApisJson() throws Exception {
        String host = "Host: 127.0.0.1:" + karaf.httpPort() + "\r\n";
        RawHttp.Answer noHost = RawHttp.send(karaf.httpPort(), "GET /api/status HTTP/1.1\r\n\r\n");
        assertThat(noHost.status()).isEqualTo(400);
        assertJsonError(noHost, "Host");
        RawHttp.Answer longUri = RawHttp.send(karaf.httpPort(), "GET /api/" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n");
        assertThat(longUri.status()).isEqualTo(414);
        assertJsonError(longUri, "too long");
        RawHttp.Answer bigHeader = RawHttp.send(karaf.httpPort(), "GET /api/status HTTP/1.1\r\n" + host
                + "X-Filler: " + "b".repeat(20_000) + "\r\n\r\n");
        assertThat(bigHeader.status()).isEqualTo(431);
        assertJsonError(bigHeader, "headers are too large");
        RawHttp.Answer badLine = RawHttp.send(karaf.httpPort(), "GET /api/status HTTP/1.1 junk\r\n" + host + "\r\n");
        assertThat(badLine.status()).isEqualTo(400);
        assertJsonError(badLine, "character that HTTP does not allow");
        RawHttp.Answer badLength = RawHttp.send(karaf.httpPort(), "POST /api/games/x/download HTTP/1.1\r\n" + host
                + "Content-Length: abc\r\n\r\n");
        assertThat(badLength.status()).isEqualTo(400);
        assertJsonError(badLength, "Content-Length");
        RawHttp.Answer version = RawHttp.send(karaf.httpPort(), "GET /api/status HTTP/9.9\r\n" + host + "\r\n");
        assertThat(version.status()).isEqualTo(505);
        assertJsonError(version, "HTTP version");
        RawHttp.Answer expect = RawHttp.send(karaf.httpPort(), "POST /api/games/x/download HTTP/1.1\r\n" + host
                + "Expect: 999-nope\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(expect.status()).isEqualTo(417);
        assertJsonError(expect, "Expect");
    }

    private static void assertJsonError(RawHttp.Answer answer, String phrase) throws IOException {
        assertThat(answer.isJson()).as("JSON answer: " + answer).isTrue();
        assertThat(Api.parse(answer.body()).get("error").asText()).as(answer.body()).isNotBlank().contains(phrase);
    }

    @Test
    @Order(8)
    void uninstallingTheFeatureLeavesNoBundleThreadOrSocket() throws Exception {
        assertThat(lanspreadThreads()).as("lanspread's threads while it runs").isNotEmpty();
        assertThat(karaf.udpPorts()).contains(quicPort);
        karaf.runOk("feature:uninstall lanspread");
        Poll.until("no lanspread bundle is left", STEP, this::installedLanspreadBundles, Map::isEmpty, karaf::logTail);
        Poll.until("no lanspread thread is left", STEP, this::lanspreadThreads, List::isEmpty, karaf::logTail);
        Poll.until("no UDP socket is left in Karaf", STEP, karaf::udpPorts, Set::isEmpty, karaf::logTail);
        // Pax Web went with the feature (nothing else needs it), or at least the API did
        assertThat(apiAnswers()).as("the API still answers").isFalse();
        assertThat(karaf.alive()).isTrue();
    }

    @Test
    @Order(9)
    void theFeatureInstallsAgainInTheSameKaraf() throws Exception {
        karaf.runOk("feature:install lanspread");
        everyLanspreadBundleActiveAndComponentSatisfied();
        JsonNode status = Poll.until("the API answers again", STEP, () -> api.get("/api/status"), s -> true, karaf::logTail);
        assertThat(status.get("peerId").asText()).isEqualTo(karafPeerId);
        assertThat(status.get("quicPort").asInt()).isEqualTo(quicPort);
        thePageIsAtTheRoot();
        Poll.until("the Karaf peer finds the ./lanspread peer again", STEP, () -> api.get("/api/peers"),
                peers -> hasPeer(peers, felix.peerId()), karaf::logTail);
    }

    @Test
    @Order(10)
    void aThirdPartyBundleInstalledFromTheShellPlansTheNextDownloadAndLeavesNothingBehind() throws Exception {
        Path jar = Paths.get(System.getProperty("lanspread.extras.jar")).toAbsolutePath().normalize();
        int beaconPort = freeUdpPort();
        // the beacon stays on loopback: a test in the machine's own namespace must not broadcast onto a real network
        karaf.writeConfig("org.example.lanspread.extras.beacon",
                Map.of("broadcast.addresses", "127.255.255.255", "port", String.valueOf(beaconPort)));
        int mark = karafLogLines();
        long id = karaf.installBundle(jar);
        Poll.until("the example bundle is Active", STEP, () -> installedBundles("org.example."),
                m -> m.size() == 1 && m.values().stream().allMatch("Active"::equals), karaf::logTail);
        Poll.until("lanspread:planners lists the example's planner", STEP,
                () -> karaf.runOk("lanspread:planners | grep ."), out -> out.contains("nearest"), karaf::logTail);
        Poll.until("the beacon backend runs beside mDNS and the static list", STEP, () -> karafLogSince(mark),
                log -> log.contains("Discovery backend 'beacon' started"), karaf::logTail);
        Poll.until("the beacon listens on its port", STEP, karaf::udpPorts, ports -> ports.contains(beaconPort), karaf::logTail);

        String nearestGame = downloadANewFelixGame("extras-game", 13);
        assertThat(karafLogSince(mark)).as("the new planner planned the download of " + nearestGame)
                .containsPattern("download \\S+ plans with nearest\\b");

        int stopMark = karafLogLines();
        karaf.runOk("bundle:uninstall " + id);
        Poll.until("the example bundle is gone", STEP, () -> installedBundles("org.example."), Map::isEmpty, karaf::logTail);
        Poll.until("lanspread:planners is back to the built-in ones", STEP,
                () -> karaf.runOk("lanspread:planners | grep ."), out -> !out.contains("nearest") && out.contains("adaptive"),
                karaf::logTail);
        Poll.until("the beacon's socket is closed", STEP, karaf::udpPorts,
                ports -> !ports.contains(beaconPort) && ports.contains(quicPort), karaf::logTail);
        String adaptiveGame = downloadANewFelixGame("after-extras-game", 17);
        assertThat(karafLogSince(stopMark)).as("the built-in planner planned the download of " + adaptiveGame)
                .containsPattern("download \\S+ plans with adaptive\\b").doesNotContain("plans with nearest");
        assertThat(api.get("/api/status").get("peerId").asText()).as("the same peer, never restarted").isEqualTo(karafPeerId);
    }

    /** Writes a new game into the ./lanspread peer's folder and has the Karaf peer download it, byte-identical. */
    private String downloadANewFelixGame(String gameId, long seed) throws Exception {
        Path felixGames = run.resolve("felix/games");
        Games.write(felixGames, gameId, "1.0", seed);
        Poll.until("the Karaf peer lists " + gameId, STEP, () -> api.get("/api/games"),
                games -> hasGame(games, gameId, false), karaf::logTail);
        api.post("/api/games/" + gameId + "/download", 202);
        Poll.until("Karaf installs " + gameId, STEP, () -> api.get("/api/games"),
                games -> hasGame(games, gameId, true), karaf::logTail);
        assertThat(Games.difference(felixGames.resolve(gameId), karafGames.resolve(gameId))).isEmpty();
        return gameId;
    }

    private int karafLogLines() throws IOException {
        Path log = karaf.home().resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private String karafLogSince(int line) throws IOException {
        List<String> lines = Files.readAllLines(karaf.home().resolve("data/log/karaf.log"));
        return String.join("\n", lines.subList(Math.min(line, lines.size()), lines.size()));
    }

    @Test
    @Order(20)
    void theKarDroppedIntoDeployInstallsTheFeatureWithoutAnyRepository() throws Exception {
        karaf.runOk("feature:uninstall lanspread", "feature:repo-remove " + repositoryUrl);
        Poll.until("no lanspread bundle is left", STEP, this::installedLanspreadBundles, Map::isEmpty, karaf::logTail);
        // from now on, lanspread's artifacts can only come from the KAR
        karaf.mavenRepositories(localRepository, List.of());
        Poll.until("Karaf no longer resolves from the test's repository", STEP,
                () -> karaf.runOk("config:property-get -p org.ops4j.pax.url.mvn org.ops4j.pax.url.mvn.defaultRepositories"),
                out -> out.contains("kar.repository") && !out.contains(karRepository.toUri().toString()), karaf::logTail);
        Files.copy(kar, karaf.home().resolve("deploy").resolve(kar.getFileName()));
        Poll.until("the KAR installs the lanspread feature", START, () -> karaf.run("feature:list -i | grep lanspread"),
                out -> out.contains("lanspread "), karaf::logTail);
        everyLanspreadBundleActiveAndComponentSatisfied();
        Poll.until("the API answers after the KAR", STEP, () -> api.get("/api/status"),
                s -> s.get("peerId").asText().equals(karafPeerId), karaf::logTail);
    }

    private void everyLanspreadBundleActiveAndComponentSatisfied() {
        Poll.until("every lanspread bundle is Active", STEP, this::installedLanspreadBundles,
                bundles -> bundles.keySet().equals(lanspreadBundles) && bundles.values().stream().allMatch("Active"::equals),
                karaf::logTail);
        Map<String, Components.Component> components = Poll.until("every lanspread component is satisfied", STEP,
                () -> Components.parse(karaf.runOk("scr:list | grep .")).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("io.lanspread."))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                found -> found.size() >= lanspreadBundles.size() && found.values().stream().allMatch(Components.Component::satisfied),
                karaf::logTail);
        // every bundle with components has at least one here; the API bundle has none
        assertThat(components.keySet().stream().map(name -> name.split("\\.")[2]).collect(Collectors.toSet()))
                .contains("catalog", "transport", "discovery", "download", "peer", "events", "bridge");
    }

    /** Symbolic name -> state of every io.lanspread bundle Karaf has. */
    private Map<String, String> installedLanspreadBundles() throws Exception {
        return installedBundles("io.lanspread.");
    }

    /** Symbolic name -> state of every bundle whose symbolic name starts with {@code prefix}. */
    private Map<String, String> installedBundles(String prefix) throws Exception {
        Map<String, String> bundles = new LinkedHashMap<>();
        for (String line : karaf.runOk("bundle:list -s -t 0 | grep .").split("\\R")) {
            Matcher m = BUNDLE_LINE.matcher(line);
            if (m.matches() && m.group(3).startsWith(prefix)) {
                bundles.put(m.group(3), m.group(2));
            }
        }
        return bundles;
    }

    private boolean apiAnswers() throws Exception {
        try {
            return api.send("GET", "/api/status", false).statusCode() != 404;
        } catch (java.net.ConnectException e) {
            return false;
        }
    }

    private List<String> lanspreadThreads() throws Exception {
        return karaf.threadNames().stream().filter(n -> n.startsWith("lanspread-") || n.startsWith("JmDNS"))
                .collect(Collectors.toList());
    }

    private String token() {
        try {
            Path file = karaf.home().resolve(".lanspread/http-token");
            return Files.exists(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasPeer(JsonNode peers, String peerId) {
        return StreamSupport.stream(peers.spliterator(), false).anyMatch(p -> p.get("peerId").asText().equals(peerId));
    }

    /** Whether the listing has the game, and (when {@code installed}) whether it is installed here. */
    private static boolean hasGame(JsonNode games, String id, boolean installed) {
        return StreamSupport.stream(games.spliterator(), false)
                .anyMatch(g -> g.get("id").asText().equals(id) && (!installed || g.get("local").asBoolean()));
    }

    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }

    /** Keeps only the newest run's folders (a copy of Karaf each) for a look after a failure. */
    private static void deleteEarlierRuns(Path runs) throws IOException, InterruptedException {
        try (Stream<Path> earlier = Files.list(runs)) {
            for (Path dir : (Iterable<Path>) earlier::iterator) {
                Karaf.exec(List.of("rm", "-rf", dir.toString()));
            }
        }
    }

    /** Unpacks the KAR's repository/ folder: a Maven repository with the feature and every bundle. */
    private static Path unzipRepository(Path kar, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(kar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the KAR: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        Path repository = into.resolve("repository");
        assertThat(repository.resolve("io/lanspread/lanspread-features")).isDirectory();
        return repository;
    }

    /** The symbolic names of lanspread's bundles in the KAR (artifactId = Bundle-SymbolicName). */
    private static Set<String> bundlesIn(Path repository) throws IOException {
        try (Stream<Path> dirs = Files.list(repository.resolve("io/lanspread"))) {
            Set<String> names = dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("io.lanspread."))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(names).contains("io.lanspread.api", "io.lanspread.peer", "io.lanspread.bridge.shell");
            return names;
        }
    }
}
