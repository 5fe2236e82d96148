package io.lanspread.bridge.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.api.control.DownloadConflictException;
import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerRequestException;

class ApiServletTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ODD = "Quote\" back\\slash\nnew\ttab\u0001ctl \u00e9t\u00e9 \ud83c\udfae \u2028 </script>";

    private final FakeControl control = new FakeControl();
    private final ApiServlet servlet = new ApiServlet(() -> control);

    private FakeHttp.Response call(String method, String path) throws Exception {
        return call(method, path, "");
    }

    private FakeHttp.Response call(String method, String path, String body) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(FakeHttp.request(method, path, body.getBytes(StandardCharsets.UTF_8)),
                response.servletResponse());
        return response;
    }

    private JsonNode json(FakeHttp.Response response, int status) throws Exception {
        assertThat(response.status).as(response.body()).isEqualTo(status);
        assertThat(response.contentType).isEqualTo("application/json; charset=utf-8");
        assertThat(response.contentLength).isEqualTo(response.body.size());
        return MAPPER.readTree(response.body.toByteArray());
    }

    private void assertError(FakeHttp.Response response, int status, String messagePart) throws Exception {
        JsonNode body = json(response, status);
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("error").asText()).contains(messagePart);
        assertThat(response.body()).doesNotContain("\tat ", "Exception:");
    }

    private static Game game(String id, String name) {
        return new Game(id, name, "1.2", 1234);
    }

    private static DownloadStatus running(String id, String gameId) {
        return in(DownloadState.RUNNING, id, gameId);
    }

    private static DownloadStatus in(DownloadState state, String id, String gameId) {
        return new DownloadStatus(id, gameId, "1.2", state, 100, 1234, 60, 40, 50, 2, 3,
                List.of("peer p9 has other bytes for data.pak; it is not a source for that file"), null);
    }

    // ---- routes

    // ---- start-up: the servlet is there before the control service

    @ParameterizedTest
    @CsvSource({"GET,/api/status", "GET,/api/games", "POST,/api/games/a/download", "DELETE,/api/downloads/d1"})
    void answers503UntilTheControlServiceCanBeHad(String method, String path) throws Exception {
        ApiServlet starting = new ApiServlet(() -> null);
        FakeHttp.Response response = new FakeHttp.Response();
        starting.service(FakeHttp.request(method, path, new byte[0]), response.servletResponse());

        assertError(response, 503, ApiServlet.STARTING);
        assertThat(response.headers).containsEntry("Retry-After", "1");
    }

    @Test
    void servesOnceTheControlServiceIsThereAndAnswers503AgainWhenItGoes() throws Exception {
        java.util.concurrent.atomic.AtomicReference<io.lanspread.api.control.PeerControl> registry =
                new java.util.concurrent.atomic.AtomicReference<>();
        ApiServlet late = new ApiServlet(registry::get);
        assertError(statusFrom(late), 503, ApiServlet.STARTING);

        registry.set(control);
        assertThat(json(statusFrom(late), 200).get("peerId").asText()).isEqualTo("self");

        FakeControl replacement = new FakeControl();
        replacement.status = new PeerStatus("other", "me", 42420, Path.of("/srv/games"), 0);
        registry.set(replacement);
        assertThat(json(statusFrom(late), 200).get("peerId").asText()).isEqualTo("other");

        registry.set(null);
        assertError(statusFrom(late), 503, ApiServlet.STARTING);
    }

    private static FakeHttp.Response statusFrom(ApiServlet servlet) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(FakeHttp.request("GET", "/api/status", new byte[0]), response.servletResponse());
        return response;
    }

    @Test
    void statusNamesThisPeerAndTheRealHttpPort() throws Exception {
        JsonNode body = json(call("GET", "/api/status"), 200);

        assertThat(MAPPER.writeValueAsString(body)).isEqualTo(
                "{\"peerId\":\"self\",\"name\":\"me\",\"quicPort\":42420,\"httpPort\":42421,\"gamesDir\":\""
                        + java.nio.file.Path.of("/srv/games").toAbsolutePath() + "\",\"servedBytes\":0,\"uplink\":"
                        + "{\"maxRequestsPerPeer\":0,\"maxRequests\":0,\"serving\":0,\"waiting\":0}}");
    }

    @Test
    void statusShowsTheUplinkLimitsAndLoad() throws Exception {
        control.status = new PeerStatus("self", "me", 42420, Path.of("/srv/games"), 0,
                new io.lanspread.api.transport.UplinkStatus(8, 32, 5, 2));

        JsonNode uplink = json(call("GET", "/api/status"), 200).get("uplink");
        assertThat(MAPPER.writeValueAsString(uplink))
                .isEqualTo("{\"maxRequestsPerPeer\":8,\"maxRequests\":32,\"serving\":5,\"waiting\":2}");
    }

    @Test
    void statusCountsTheBytesServedToOtherPeers() throws Exception {
        control.status = new PeerStatus("self", "me", 42420, Path.of("/srv/games"), 5_000_000_000L);

        assertThat(json(call("GET", "/api/status"), 200).get("servedBytes").asLong()).isEqualTo(5_000_000_000L);
    }

    @Test
    void peersListAddressesAsHostPortAndLastSeenAsIso8601() throws Exception {
        Instant seen = Instant.parse("2025-01-02T03:04:05.678Z");
        control.peers = List.of(
                new PeerInfo("p1", "Alice", new InetSocketAddress("127.0.0.1", 42420), seen, List.of(game("a", "A"))),
                new PeerInfo("p2", "Bob", new InetSocketAddress("::1", 42421), seen, List.of()));

        JsonNode body = json(call("GET", "/api/peers"), 200);

        assertThat(body).hasSize(2);
        assertThat(MAPPER.writeValueAsString(body.get(0))).isEqualTo("{\"peerId\":\"p1\",\"name\":\"Alice\","
                + "\"address\":\"127.0.0.1:42420\",\"lastSeen\":\"2025-01-02T03:04:05.678Z\",\"gameCount\":1}");
        assertThat(body.get(1).get("address").asText()).isEqualTo("[0:0:0:0:0:0:0:1]:42421");
    }

    @Test
    void gamesListEveryListingWithItsFlagsAndPeers() throws Exception {
        control.games = List.of(new GameListing(game("a", "Alpha"), true, List.of()),
                new GameListing(game("b", "Beta"), false, List.of("p1", "p2")),
                new GameListing(game("c", "Gamma"), false, List.of("p1"), "1.1"));

        JsonNode body = json(call("GET", "/api/games"), 200);

        assertThat(MAPPER.writeValueAsString(body)).isEqualTo("[{\"id\":\"a\",\"name\":\"Alpha\",\"version\":\"1.2\","
                + "\"size\":1234,\"local\":true,\"installedVersion\":\"1.2\",\"updateAvailable\":false,\"peers\":[]},"
                + "{\"id\":\"b\",\"name\":\"Beta\",\"version\":\"1.2\",\"size\":1234,\"local\":false,"
                + "\"installedVersion\":null,\"updateAvailable\":false,\"peers\":[\"p1\",\"p2\"]},"
                + "{\"id\":\"c\",\"name\":\"Gamma\",\"version\":\"1.2\",\"size\":1234,\"local\":false,"
                + "\"installedVersion\":\"1.1\",\"updateAvailable\":true,\"peers\":[\"p1\"]}]");
    }

    @Test
    void oddNamesAreEscapedIntoValidJson() throws Exception {
        control.games = List.of(new GameListing(game("odd", ODD), false, List.of(ODD)));

        FakeHttp.Response response = call("GET", "/api/games");

        JsonNode body = json(response, 200);
        assertThat(body.get(0).get("name").asText()).isEqualTo(ODD);
        assertThat(body.get(0).get("peers").get(0).asText()).isEqualTo(ODD);
        assertThat(response.body()).contains("Quote\\\" back\\\\slash\\nnew\\ttab\\u0001ctl", "\\u2028",
                "\u00e9t\u00e9 \ud83c\udfae");
        assertThat(Json.write(List.of("\ud800x", "\u007f"))).isEqualTo("[\"\\ud800x\",\"\\u007f\"]");
    }

    @Test
    void gameDetailsAddTheFileTree() throws Exception {
        GameListing listing = new GameListing(game("g 1", "Gamma"), false, List.of("p1"));
        control.details.put("g 1", CompletableFuture.completedFuture(new GameDetails(listing,
                List.of(new GameFile("bin", 0, true), new GameFile("bin/r\u00fcn \"x\".exe", 99, false)))));

        JsonNode body = json(call("GET", "/api/games/g%201"), 200);

        assertThat(body.get("id").asText()).isEqualTo("g 1");
        assertThat(body.get("peers").get(0).asText()).isEqualTo("p1");
        assertThat(MAPPER.writeValueAsString(body.get("files"))).isEqualTo(
                "[{\"path\":\"bin\",\"size\":0,\"dir\":true},{\"path\":\"bin/r\u00fcn \\\"x\\\".exe\",\"size\":99,"
                        + "\"dir\":false}]");
    }

    @Test
    void downloadAnswers202WithTheStatus() throws Exception {
        control.download = id -> CompletableFuture.completedFuture(running("d1", id));

        JsonNode body = json(call("POST", "/api/games/g1/download"), 202);

        assertThat(MAPPER.writeValueAsString(body)).isEqualTo("{\"id\":\"d1\",\"gameId\":\"g1\",\"version\":\"1.2\","
                + "\"state\":\"RUNNING\",\"downloadedBytes\":100,\"totalBytes\":1234,\"fetchedBytes\":60,"
                + "\"reusedBytes\":40,\"sharedBytes\":0,\"bytesPerSecond\":50,\"activePeers\":2,\"sources\":3,"
                + "\"notes\":[\"peer p9 has other bytes for data.pak; it is not a source for that file\"],"
                + "\"error\":null}");
        assertThat(control.calls).containsExactly("download g1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "/api/games/g1/download?from=p%201|''",
            "/api/games/g1/download|{\"from\": \"p 1\"}",
            "/api/games/g1/download?x=1&from=p+1|{\"from\":\"p 1\",\"other\":[1,{\"a\":null}]}",
            "/api/games/g1/download?from=|{\"from\":\"p 1\"}" })
    void downloadFromTheChosenPeerNamedInTheQueryOrTheBody(String target, String body) throws Exception {
        control.download = id -> CompletableFuture.completedFuture(running("d1", id));

        json(call("POST", target, body), 202);

        assertThat(control.calls).containsExactly("download g1 from p 1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"from\": null}", "{\"from\": \"\"}", " \n" })
    void noChosenPeerLetsTheHoldersVote(String body) throws Exception {
        control.download = id -> CompletableFuture.completedFuture(running("d1", id));

        json(call("POST", "/api/games/g1/download?from=", body), 202);

        assertThat(control.calls).containsExactly("download g1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "?from=a|{\"from\":\"b\"}|the query names peer a and the body peer b",
            "?from=a&from=b|''|more than one peer", "''|{\"from\": 7}|must be a peer id",
            "''|[\"a\"]|must be a JSON object", "''|{\"from\": \"a\"|not valid JSON",
            "''|{\"from\": \"a\"} x|not valid JSON", "?from=a%2Fb|''|path separator", "?from=%ZZ|''|percent-encoding" })
    void aMalformedChoiceIs400(String query, String body, String messagePart) throws Exception {
        assertError(call("POST", "/api/games/g1/download" + query, body), 400, messagePart);
        assertThat(control.calls).isEmpty();
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        String body = "{\"from\": \"" + "x".repeat(ChosenPeer.MAX_BODY_BYTES) + "\"}";

        assertError(call("POST", "/api/games/g1/download", body), 413, "larger than");
        assertThat(control.calls).isEmpty();
    }

    @Test
    void aChosenPeerThatLacksTheGameIs404WithTheSentence() throws Exception {
        control.download = id -> {
            throw new GameNotFoundException(id) {
                private static final long serialVersionUID = 1L;

                @Override
                public String getMessage() {
                    return "peer p1 does not have game " + id;
                }
            };
        };

        assertError(call("POST", "/api/games/g1/download?from=p1"), 404, "peer p1 does not have game g1");
    }

    @Test
    void downloadsListEveryDownload() throws Exception {
        control.downloads = List.of(running("d1", "g1"), new DownloadStatus("d0", "g0", "1", DownloadState.FAILED, 1,
                2, 1, 0, 0, 0, 0, List.of(), "every peer with this game left"));

        JsonNode body = json(call("GET", "/api/downloads"), 200);

        assertThat(body).hasSize(2);
        assertThat(body.get(1).get("state").asText()).isEqualTo("FAILED");
        assertThat(body.get(1).get("notes")).isEmpty();
        assertThat(body.get(1).get("error").asText()).isEqualTo("every peer with this game left");
    }

    @Test
    void deleteCancelsADownloadThatHasNotEndedRemovesAnEndedOneOr404() throws Exception {
        control.downloads = List.of(in(DownloadState.INTERRUPTED, "d1", "g1"), in(DownloadState.FINISHED, "d0", "g0"));

        FakeHttp.Response cancelled = call("DELETE", "/api/downloads/d1");
        assertThat(cancelled.status).isEqualTo(204);
        assertThat(cancelled.body.size()).isZero();
        assertThat(call("DELETE", "/api/downloads/d0").status).isEqualTo(204);

        assertError(call("DELETE", "/api/downloads/d9"), 404, "d9");
        assertThat(control.calls).containsExactly("cancel d1", "cancel d0", "remove d0", "cancel d9", "remove d9");
    }

    @Test
    void resumeAnswers202WithTheStatusOfAnInterruptedDownload() throws Exception {
        control.downloads = List.of(in(DownloadState.INTERRUPTED, "d1", "g1"));

        JsonNode body = json(call("POST", "/api/downloads/d1/resume"), 202);

        assertThat(body.get("id").asText()).isEqualTo("d1");
        assertThat(control.calls).containsExactly("resume d1");
    }

    @Test
    void resumeOfADownloadThatIsNotInterruptedIs409AndOfAnUnknownOne404() throws Exception {
        control.downloads = List.of(running("d1", "g1"), in(DownloadState.FINISHED, "d0", "g0"));

        assertError(call("POST", "/api/downloads/d1/resume"), 409, "download d1 is RUNNING");
        assertError(call("POST", "/api/downloads/d0/resume"), 409, "only an interrupted download can be resumed");
        assertError(call("POST", "/api/downloads/d9/resume"), 404, "no download d9");
    }

    // ---- errors

    @Test
    void unknownGameIs404() throws Exception {
        assertError(call("GET", "/api/games/nope"), 404, "nope");
    }

    @Test
    void downloadErrorsMapToTheirStatus() throws Exception {
        control.download = id -> {
            throw new GameNotFoundException(id);
        };
        assertError(call("POST", "/api/games/x/download"), 404, "x");

        control.download = id -> {
            throw new DownloadConflictException(DownloadConflictException.Reason.ALREADY_LOCAL, "already here");
        };
        assertError(call("POST", "/api/games/x/download"), 409, "already here");

        control.download = id -> CompletableFuture.failedFuture(
                new DownloadConflictException(DownloadConflictException.Reason.ALREADY_DOWNLOADING, "busy"));
        assertError(call("POST", "/api/games/x/download"), 409, "busy");

        control.download = id -> CompletableFuture.failedFuture(
                new PeerRequestException(PeerRequestException.Reason.UNREACHABLE, "peer p1 unreachable"));
        assertError(call("POST", "/api/games/x/download"), 502, "peer p1 unreachable");
    }

    @Test
    void aPeerFailingToAnswerIs502() throws Exception {
        control.details.put("g", CompletableFuture.failedFuture(
                new PeerRequestException(PeerRequestException.Reason.TIMEOUT, "no answer")));

        assertError(call("GET", "/api/games/g"), 502, "no answer");
    }

    @Test
    void anythingElseIs500WithAMessageButNoStackTrace() throws Exception {
        control.details.put("g", CompletableFuture.failedFuture(new IllegalStateException("disk \"full\"")));
        control.download = id -> {
            throw new NullPointerException();
        };

        assertError(call("GET", "/api/games/g"), 500, "disk \"full\"");
        assertError(call("POST", "/api/games/g/download"), 500, "NullPointerException");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/games/..", "/api/games/a..b", "/api/games/a%2Fb", "/api/games/a%5Cb",
            "/api/games/a%00b", "/api/games/", "/api/games/%20", "/api/games/%ZZ", "/api/games/%C3%28",
            "/api/games/a%0Ab/download", "/api/downloads/%2E%2E", "/api/downloads/a%2Fb/resume" })
    void malformedIdsAre400(String path) throws Exception {
        String method = path.endsWith("/download") || path.endsWith("/resume") ? "POST"
                : path.startsWith("/api/downloads") ? "DELETE" : "GET";

        assertError(call(method, path), 400, "");
        assertThat(control.calls).isEmpty();
    }

    @Test
    void tooLongIdIs400AndTheLongestAllowedPasses() throws Exception {
        assertError(call("GET", "/api/games/" + "x".repeat(256)), 400, "255");
        assertError(call("GET", "/api/games/" + "x".repeat(255)), 404, "unknown game");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api", "/api/", "/api/nope", "/api/status/extra", "/api/games/x/other",
            "/api/games/x/download/more", "/api/downloads/x/y", "/api/downloads/x/resume/more", "/api//status" })
    void unknownRoutesAre404(String path) throws Exception {
        assertError(call("GET", path), 404, "no such resource");
    }

    @ParameterizedTest
    @CsvSource({ "POST,/api/status,'GET, HEAD'", "DELETE,/api/peers,'GET, HEAD'", "PUT,/api/games,'GET, HEAD'",
            "POST,/api/games/x,'GET, HEAD'", "GET,/api/games/x/download,POST", "HEAD,/api/games/x/download,POST",
            "GET,/api/downloads/d1,DELETE", "HEAD,/api/downloads/d1,DELETE", "POST,/api/downloads,'GET, HEAD'",
            "GET,/api/downloads/d1/resume,POST", "DELETE,/api/downloads/d1/resume,POST" })
    void wrongMethodsAre405WithAllow(String method, String path, String allowed) throws Exception {
        FakeHttp.Response response = call(method, path);

        if (method.equals("HEAD")) {
            assertThat(response.status).isEqualTo(405);
            assertThat(response.body.size()).as("a HEAD answer has no body").isZero();
        } else {
            assertError(response, 405, method);
        }
        assertThat(response.headers).containsEntry("Allow", allowed);
        assertThat(control.calls).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/status", "/api/peers", "/api/games", "/api/games/g1", "/api/downloads",
            "/api/nope", "/api/games/unknown" })
    void headAnswersWhatGetAnswersWithoutTheBody(String path) throws Exception {
        control.games.add(new GameListing(game("g1", "One"), true, List.of()));
        control.details.put("g1", CompletableFuture.completedFuture(new GameDetails(
                new GameListing(game("g1", "One"), true, List.of()), List.of(new GameFile("version.ini", 4, false)))));
        FakeHttp.Response get = call("GET", path);
        FakeHttp.Response head = call("HEAD", path);

        assertThat(head.status).isEqualTo(get.status);
        assertThat(head.contentType).isEqualTo(get.contentType);
        assertThat(head.contentLength).isEqualTo(get.body.size()).isPositive();
        assertThat(head.headers).isEqualTo(get.headers);
        assertThat(head.body.size()).isZero();
    }

    @Test
    void headOfAGetRouteIsNot405() throws Exception {
        FakeHttp.Response response = call("HEAD", "/api/status");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.headers).doesNotContainKey("Allow");
    }
}
