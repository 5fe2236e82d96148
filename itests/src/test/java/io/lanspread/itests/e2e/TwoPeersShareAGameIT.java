package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.PeerProcess;

/**
 * Two real peers on loopback, each started with {@code ./lanspread}: the second is pointed at the first
 * with {@code --peer}, lists its game and downloads it through the HTTP API, byte-identical.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoPeersShareAGameIT {

    private static final String GAME = "space-race";

    private Path work;
    private Path sourceGame;
    private PeerProcess seeder;
    private PeerProcess leecher;

    @BeforeAll
    void startPeers() throws Exception {
        work = Files.createTempDirectory("lanspread-e2e");
        Path seederHome = Files.createDirectories(work.resolve("seeder"));
        sourceGame = GameFixture.writeSampleGame(Files.createDirectories(seederHome.resolve("games")), GAME, "1.2.0", 42);
        // a folder still being copied: no version.ini, so never a game
        Files.createDirectories(seederHome.resolve("games/half-copied/data"));
        Files.write(seederHome.resolve("games/half-copied/data/blob.bin"), new byte[1024]);

        // These peers run in the test machine's own network namespace: mDNS stays off so that nothing is
        // sent beyond loopback (the multi-host tests run mDNS inside the LAN lab).
        seeder = PeerProcess.start(seederHome, "seeder", "--no-mdns").awaitReady(120);
        leecher = PeerProcess.start(Files.createDirectories(work.resolve("leecher")), "leecher", "--no-mdns",
                "--peer", "127.0.0.1:" + seeder.quicPort()).awaitReady(120);
    }

    @AfterAll
    void stopPeers() throws Exception {
        for (PeerProcess p : new PeerProcess[] {leecher, seeder}) {
            if (p != null) {
                p.close();
            }
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void statusNamesThePeerAndItsRealPorts() throws Exception {
        JsonNode status = seeder.get("/api/status");
        assertThat(status.get("peerId").asText()).isEqualTo(seeder.peerId());
        assertThat(status.get("name").asText()).isEqualTo("seeder");
        assertThat(status.get("quicPort").asInt()).isEqualTo(seeder.quicPort());
        assertThat(status.get("httpPort").asInt()).isEqualTo(seeder.httpPort());
        assertThat(status.get("gamesDir").asText()).endsWith("games");
        assertThat(seeder.peerId()).isNotEqualTo(leecher.peerId());
    }

    @Test
    @Order(2)
    void theLeecherFindsTheSeederAndItsGame() throws Exception {
        JsonNode game = Conditions.awaitValue("the seeder's game listed on the leecher", 30,
                () -> find(leecher.get("/api/games"), GAME));
        assertThat(game.get("version").asText()).isEqualTo("1.2.0");
        assertThat(game.get("name").asText()).isEqualTo("Sample " + GAME);
        assertThat(game.get("local").asBoolean()).isFalse();
        assertThat(game.get("size").asLong()).isEqualTo(totalSize(sourceGame));
        assertThat(texts(game.get("peers"))).containsExactly(seeder.peerId());

        JsonNode peers = leecher.get("/api/peers");
        assertThat(peers).hasSize(1);
        assertThat(peers.get(0).get("peerId").asText()).isEqualTo(seeder.peerId());
        assertThat(peers.get(0).get("name").asText()).isEqualTo("seeder");
        assertThat(peers.get(0).get("gameCount").asInt()).isEqualTo(1);

        JsonNode local = find(seeder.get("/api/games"), GAME);
        assertThat(local.get("local").asBoolean()).isTrue();
        assertThat(find(seeder.get("/api/games"), "half-copied")).as("a folder without version.ini").isNull();
    }

    @Test
    @Order(3)
    void theGameDetailsListTheWholeTree() throws Exception {
        JsonNode details = leecher.get("/api/games/" + GAME);
        List<String> paths = new ArrayList<>();
        details.get("files").forEach(f -> paths.add(f.get("path").asText() + (f.get("dir").asBoolean() ? "/" : "")));
        assertThat(paths).contains("bin/game.exe", "data/empty.cfg", "data/levels/deep/er/still/tiny.txt", "saves/",
                "version.ini");
    }

    @Test
    @Order(4)
    void theLeecherDownloadsTheGameByteIdentical() throws Exception {
        HttpResponse<String> started = leecher.request("POST", "/api/games/" + GAME + "/download");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = PeerProcess.parse(started.body()).get("id").asText();

        JsonNode done = Conditions.awaitValue("download " + id + " to end", 60, () -> {
            JsonNode d = findDownload(leecher.get("/api/downloads"), id);
            return d != null && !"RUNNING".equals(d.get("state").asText()) ? d : null;
        });
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        assertThat(done.get("downloadedBytes").asLong()).isEqualTo(done.get("totalBytes").asLong());
        assertThat(done.get("totalBytes").asLong()).isEqualTo(totalSize(sourceGame));

        Path copy = work.resolve("leecher/games/" + GAME);
        assertThat(GameFixture.difference(sourceGame, copy)).isEmpty();

        JsonNode listed = Conditions.awaitValue("the game listed as local on the leecher", 10, () -> {
            JsonNode g = find(leecher.get("/api/games"), GAME);
            return g != null && g.get("local").asBoolean() ? g : null;
        });
        assertThat(listed.get("version").asText()).isEqualTo("1.2.0");
    }

    @Test
    @Order(5)
    void badRequestsGetClearErrorsAndThePeerKeepsServing() throws Exception {
        assertError(leecher.request("POST", "/api/games/" + GAME + "/download"), 409);
        assertError(leecher.request("GET", "/api/games/no-such-game"), 404);
        assertError(leecher.request("POST", "/api/games/no-such-game/download"), 404);
        assertError(leecher.request("GET", "/api/games/..%2F..%2Fetc"), 404);
        assertError(leecher.request("GET", "/api/games/a%5Cb"), 400);
        assertError(leecher.request("GET", "/api/games/" + "x".repeat(300)), 400);
        assertError(leecher.request("DELETE", "/api/downloads/no-such-download"), 404);
        assertError(leecher.request("GET", "/api/nothing-here"), 404);
        // a web page on another site cannot drive the API from the user's browser
        assertError(leecher.request("POST", "/api/games/" + GAME + "/download", "Origin", "https://evil.example"), 403);
        assertThat(leecher.get("/api/status").get("peerId").asText()).isEqualTo(leecher.peerId());
    }

    @Test
    @Order(6)
    void sigtermStopsAPeerQuickly() throws Exception {
        long millis = leecher.stop(10);
        assertThat(millis).isLessThan(10_000);
        assertThat(leecher.process().exitValue()).as(leecher.logText()).isIn(0, 143);
    }

    private static void assertError(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(PeerProcess.parse(r.body()).get("error").asText()).isNotBlank();
    }

    private static JsonNode find(JsonNode games, String id) {
        for (JsonNode g : games) {
            if (id.equals(g.get("id").asText())) {
                return g;
            }
        }
        return null;
    }

    private static JsonNode findDownload(JsonNode downloads, String id) {
        for (JsonNode d : downloads) {
            if (id.equals(d.get("id").asText())) {
                return d;
            }
        }
        return null;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static long totalSize(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
