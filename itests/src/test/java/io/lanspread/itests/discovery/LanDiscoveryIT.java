package io.lanspread.itests.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.LabPeer;
import io.lanspread.itests.support.MetatypeDefaults;

/**
 * Issue 3 on a real LAN with real multicast: three {@code ./lanspread} peers, one per lab host, started
 * with no {@code --peer} flag, find each other by mDNS (all three started at once, and one joining two
 * that are up), see each other's library changes, and notice peers that die (SIGKILL) or leave
 * (SIGTERM). One lab and one set of peers for the whole class; peer logs are kept in
 * target/lab-logs/LanDiscoveryIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LanDiscoveryIT {

    static final Duration DISCOVERY_LIMIT = Duration.ofSeconds(3);
    static final Duration LIBRARY_LIMIT = Duration.ofSeconds(5);
    static final Duration SIGKILL_LIMIT = Duration.ofSeconds(40);
    static final Duration SIGTERM_LIMIT = Duration.ofSeconds(2);

    private Lab lab;
    private Path work;
    private final List<LabPeer> peers = new ArrayList<>();
    private final List<Integer> api = new ArrayList<>();

    @BeforeAll
    void startThreePeersAtOnce() throws Exception {
        Lab.assumeSupported();
        FileTrees.delete(LabPeer.logDir(getClass()));
        lab = Lab.create(3);
        work = Files.createTempDirectory("lanspread-lan-discovery");
        for (var h : lab.hosts()) {
            api.add(h.forward(LabPeer.HTTP_PORT));
        }
        for (var h : lab.hosts()) {
            peers.add(LabPeer.start(h, api.get(h.index() - 1), Files.createDirectories(work.resolve(h.name())),
                    "lan-" + h.name()));
        }
        for (LabPeer p : peers) {
            p.awaitReady(120);
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        peers.forEach(p -> p.keepLog(LabPeer.logDir(getClass())));
        if (lab != null) {
            lab.close();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void threePeersStartedTogetherListEachOtherWithinThreeSecondsOfTheLastReady() throws Exception {
        long lastReady = peers.stream().mapToLong(LabPeer::readyNanos).max().orElseThrow();
        Map<String, Long> ms = Deadlines.whenEach("listing the other two", peers, LabPeer::name, lastReady,
                Duration.ofSeconds(30), observer -> observer.listedPeerIds().containsAll(othersOf(observer)));
        System.out.printf("discovery (started together): listed the other two, ms after the last ready line: %s;"
                + " ready lines at ms after the first: %s%n", ms, readyOffsets());
        assertThat(Collections.max(ms.values())).as("ms after the last ready line until each peer listed the other"
                + " two: " + ms + " (ready lines at ms after the first: " + readyOffsets() + "; logs kept in "
                + LabPeer.logDir(getClass()) + ")").isLessThanOrEqualTo(DISCOVERY_LIMIT.toMillis());
        assertListedAtTheirLanAddresses();
    }

    @Test
    @Order(2)
    void aPeerJoiningTheOtherTwoIsListedByAllWithinThreeSecondsOfItsReady() throws Exception {
        LabPeer leaving = peers.get(2);
        leaving.terminate();
        assertThat(leaving.awaitExit(15)).isIn(0, 143);
        leaving.keepLog(LabPeer.logDir(getClass()));
        LabPeer joining = LabPeer.start(leaving.host(), api.get(2), Files.createDirectories(work.resolve("h3-late")),
                "lan-h3-late").awaitReady(120);
        peers.set(2, joining);
        Map<String, Long> ms = Deadlines.whenEach("listing the other two", peers, LabPeer::name,
                joining.readyNanos(), Duration.ofSeconds(30),
                observer -> observer.listedPeerIds().containsAll(othersOf(observer)));
        System.out.printf("discovery (joining the other two): listed the other two, ms after its ready line: %s%n", ms);
        assertThat(Collections.max(ms.values())).as("ms after the joining peer's ready line until each peer listed"
                + " the other two: " + ms + " (logs kept in " + LabPeer.logDir(getClass()) + ")")
                .isLessThanOrEqualTo(DISCOVERY_LIMIT.toMillis());
        assertListedAtTheirLanAddresses();
    }

    private void assertListedAtTheirLanAddresses() throws Exception {
        for (LabPeer observer : peers) {
            JsonNode listed = observer.get("/api/peers");
            assertThat(listed).as(observer.name() + " lists exactly the two others: " + listed).hasSize(2);
            for (JsonNode entry : listed) {
                LabPeer other = byId(entry.get("peerId").asText());
                assertThat(entry.get("name").asText()).isEqualTo(other.name());
                // found over the LAN, at the other host's own address
                assertThat(entry.get("address").asText()).contains(other.host().address());
            }
        }
    }

    @Test
    @Order(3)
    void aCopiedGameShowsUpEverywhereAFolderWithoutVersionIniNeverDoesAndARemovedGameGoes() throws Exception {
        LabPeer source = peers.get(0);
        List<LabPeer> others = List.of(peers.get(1), peers.get(2));

        // first the folder without version.ini, so that the real game's arrival proves it was scanned
        long halfCopiedAt = System.nanoTime();
        Path half = Files.createDirectories(source.gamesDir().resolve("half-copied/data"));
        Files.write(half.resolve("blob.bin"), new byte[64 * 1024]);

        Path staged = GameFixture.writeSampleGame(Files.createDirectories(work.resolve("staging")), "lan-race",
                "2.0.1", 7);
        FileTrees.copy(staged, source.gamesDir().resolve("lan-race"));
        long copiedAt = System.nanoTime();
        for (LabPeer other : others) {
            long ms = Deadlines.within("lan-race from " + source.name() + " listed on " + other.name(), copiedAt,
                    LIBRARY_LIMIT, () -> other.listsGameFrom("lan-race", source.peerId()),
                    () -> other.get("/api/games"));
            System.out.printf("library: lan-race listed on %s %d ms after the copy ended%n", other.name(), ms);
            assertThat(other.game("lan-race").get("version").asText()).isEqualTo("2.0.1");
        }

        Duration window = Duration.ofMillis(catalogDebounceMillis() + pingIntervalMillis() + 2_000);
        System.out.printf("library: watching half-copied for %d ms from its creation%n", window.toMillis());
        Deadlines.never("half-copied (no version.ini) listed on some peer", halfCopiedAt, window, () -> {
            for (LabPeer p : peers) {
                if (p.game("half-copied") != null) {
                    return true;
                }
            }
            return false;
        }, () -> source.get("/api/games"));

        FileTrees.delete(source.gamesDir().resolve("lan-race"));
        long removedAt = System.nanoTime();
        for (LabPeer other : others) {
            long ms = Deadlines.within("removed lan-race gone from " + other.name(), removedAt, LIBRARY_LIMIT,
                    () -> !other.listsGameFrom("lan-race", source.peerId()), () -> other.get("/api/games"));
            System.out.printf("library: lan-race gone from %s %d ms after the removal%n", other.name(), ms);
        }
        assertThat(source.game("lan-race")).as("removed from its own library too").isNull();
    }

    @Test
    @Order(4)
    void aKilledPeerDisappearsWithinFortySecondsAndAStoppedOneWithinTwo() throws Exception {
        for (LabPeer observer : peers) {
            assertThat(observer.listedPeerIds()).as(observer.name() + " before the kill")
                    .containsAll(othersOf(observer));
        }
        LabPeer killed = peers.get(2);
        long killedAt = killed.kill();
        for (LabPeer observer : List.of(peers.get(0), peers.get(1))) {
            long ms = Deadlines.within(killed.name() + " (SIGKILL) gone from " + observer.name(), killedAt,
                    SIGKILL_LIMIT, () -> !observer.listedPeerIds().contains(killed.peerId()),
                    () -> observer.get("/api/peers"));
            System.out.printf("liveness: SIGKILLed %s gone from %s after %d ms%n", killed.name(), observer.name(), ms);
        }

        LabPeer stopped = peers.get(1);
        LabPeer observer = peers.get(0);
        assertThat(observer.listedPeerIds()).contains(stopped.peerId());
        long termAt = stopped.terminate();
        long ms = Deadlines.within(stopped.name() + " (SIGTERM) gone from " + observer.name(), termAt, SIGTERM_LIMIT,
                () -> !observer.listedPeerIds().contains(stopped.peerId()), () -> observer.get("/api/peers"));
        System.out.printf("liveness: SIGTERMed %s gone from %s after %d ms%n", stopped.name(), observer.name(), ms);
        assertThat(stopped.awaitExit(15)).as(stopped.logText()).isIn(0, 143);
        assertThat(observer.listedPeerIds()).isEmpty();
    }

    private String readyOffsets() {
        long first = peers.stream().mapToLong(LabPeer::readyNanos).min().orElseThrow();
        StringBuilder s = new StringBuilder();
        for (LabPeer p : peers) {
            s.append(p.name()).append('=').append(TimeUnit.NANOSECONDS.toMillis(p.readyNanos() - first)).append(' ');
        }
        return s.toString().trim();
    }

    private List<String> othersOf(LabPeer self) {
        List<String> ids = new ArrayList<>();
        for (LabPeer p : peers) {
            if (p != self) {
                ids.add(p.peerId());
            }
        }
        return ids;
    }

    private LabPeer byId(String id) {
        return peers.stream().filter(p -> p.peerId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("unknown peer id listed: " + id));
    }

    /** The catalog's settle time before a change is reported, from its shipped metatype defaults. */
    static long catalogDebounceMillis() {
        Map.Entry<String, String> attr = MetatypeDefaults.find("io.lanspread.catalog", "debounce", "settle", "quiet")
                .orElseThrow(() -> new AssertionError("no debounce attribute in io.lanspread.catalog's metatype: "
                        + MetatypeDefaults.of("io.lanspread.catalog")));
        return MetatypeDefaults.millis(attr);
    }

    /** One liveness period: the orchestrator's ping interval, from its shipped metatype defaults. */
    static long pingIntervalMillis() {
        String v = MetatypeDefaults.of("io.lanspread.peer").get("ping.interval.seconds");
        if (v == null) {
            throw new AssertionError("no ping.interval.seconds in io.lanspread.peer's metatype");
        }
        return TimeUnit.SECONDS.toMillis(Long.parseLong(v.trim()));
    }
}
