package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.PeerProcess;

/**
 * A real peer ({@code ./lanspread}, Felix HTTP Jetty) sent requests as raw bytes over a plain socket,
 * malformed the ways no HTTP client would send them: every error it answers is the API's JSON
 * {@code {"error": "<sentence>"}} with a fitting status, those Jetty raises before any servlet included;
 * and HEAD answers wherever GET does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpErrorsIT {

    private static final String HOST = "Host: 127.0.0.1\r\n";
    private static final String CLOSE = "Connection: close\r\n";
    /** Longer than Felix Jetty's request header buffer (16 KiB by default). */
    private static final String HUGE = "a".repeat(40_000);

    private Path work;
    private PeerProcess peer;

    @BeforeAll
    void startPeer() throws Exception {
        work = Files.createTempDirectory("lanspread-http-errors");
        // mDNS off: nothing leaves loopback
        peer = PeerProcess.start(Files.createDirectories(work.resolve("peer")), "http-errors", "--no-mdns")
                .awaitReady(120);
    }

    @AfterAll
    void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                // the path: encoded dot segments, bad escapes, empty segments
                Arguments.of("encoded dot segment", "GET /api/%2e%2e/status HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("encoded dot segment as an id", "GET /api/games/%2e%2e HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("dot segments above the root", "GET /../../etc/passwd HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("%zz", "GET /api/games/%zz HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("truncated %-escape", "GET /api/games/%2 HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("encoded NUL", "GET /api/games/a%00b HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("raw invalid UTF-8", "GET /api/games/\u00c0\u00af HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("leading //", "GET //api/status HTTP/1.1\r\n" + HOST + "\r\n", 400),
                Arguments.of("inner //", "GET /api//status HTTP/1.1\r\n" + HOST + "\r\n", 400),
                // sizes
                Arguments.of("over-long URI", "GET /api/" + HUGE + " HTTP/1.1\r\n" + HOST + "\r\n", 414),
                Arguments.of("over-long header", "GET /api/status HTTP/1.1\r\n" + HOST + "X-Big: " + HUGE + "\r\n\r\n", 431),
                Arguments.of("too many headers", "GET /api/status HTTP/1.1\r\n" + HOST
                        + "X-Many: 0123456789012345678901234567890123456789\r\n".repeat(500) + "\r\n", 431),
                // framing of the body
                Arguments.of("Content-Length not a number", "POST /api/games/g/download HTTP/1.1\r\n" + HOST
                        + "Content-Length: abc\r\n\r\n", 400),
                Arguments.of("negative Content-Length", "POST /api/games/g/download HTTP/1.1\r\n" + HOST
                        + "Content-Length: -1\r\n\r\n", 400),
                Arguments.of("two Content-Lengths", "POST /api/games/g/download HTTP/1.1\r\n" + HOST
                        + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
                Arguments.of("Content-Length and chunked", "POST /api/games/g/download HTTP/1.1\r\n" + HOST
                        + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding not chunked", "POST /api/games/g/download HTTP/1.1\r\n" + HOST
                        + "Transfer-Encoding: gzip\r\n\r\n", 400),
                // Host
                Arguments.of("no Host", "GET /api/status HTTP/1.1\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET /api/status HTTP/1.1\r\n" + HOST + "Host: 127.0.0.2\r\n\r\n", 400),
                Arguments.of("authority not the Host", "GET http://example.com/api/status HTTP/1.1\r\n" + HOST + "\r\n", 400),
                // the request line and header syntax
                Arguments.of("NUL in the request line", "\u0000\u0001 garbage\r\n\r\n", 400),
                Arguments.of("space before a header colon", "GET /api/status HTTP/1.1\r\n" + HOST + "X-A : b\r\n\r\n", 400),
                Arguments.of("folded header", "GET /api/status HTTP/1.1\r\n" + HOST + "X-A: b\r\n c\r\n\r\n", 400),
                Arguments.of("unknown HTTP version", "GET /api/status HTTP/7.0\r\n" + HOST + "\r\n", 505),
                Arguments.of("unknown expectation", "POST /api/games/g/download HTTP/1.1\r\n" + HOST
                        + "Expect: 100-banana\r\nContent-Length: 0\r\n\r\n", 417),
                Arguments.of("HTTP/2 preface without TLS", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 426),
                // errors of the API itself, for comparison
                Arguments.of("unknown route", "GET /api/nope HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 404),
                Arguments.of("outside /api", "GET /nothing-here HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 404),
                Arguments.of("unknown method", "BREW /api/status HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 405),
                Arguments.of("body too large", "POST /api/games/g/download HTTP/1.1\r\n" + HOST + CLOSE
                        + "Content-Length: 100000\r\n\r\n" + "a".repeat(100_000), 413));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformedRequests")
    void everyErrorIsJsonWithASentence(String name, String request, int status) throws Exception {
        Answer answer = exchange(request);

        assertThat(answer.status).as(answer.raw).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.raw).startsWith("application/json");
        JsonNode body = PeerProcess.parse(answer.body);
        assertThat(body.isObject()).as(answer.body).isTrue();
        assertThat(body.size()).as(answer.body).isEqualTo(1);
        String sentence = body.get("error").asText();
        assertThat(sentence).as(answer.body).hasSizeGreaterThan(10).contains(" ")
                .doesNotContain("<", "Bad Message", "Exception", "jetty");
    }

    @Test
    void thePeerServesOnAfterAllOfThem() throws Exception {
        for (Arguments a : malformedRequests().toList()) {
            exchange((String) a.get()[1]);
        }

        assertThat(peer.get("/api/status").get("peerId").asText()).isEqualTo(peer.peerId());
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/status", "/api/peers", "/api/games", "/api/downloads", "/api/nope",
            "/api/games/no-such-game", "/", "/index.html", "/assets/app.js", "/assets/nope.js", "/nothing-here" })
    void headAnswersWhatGetAnswersWithoutABody(String path) throws Exception {
        Answer get = exchange("GET " + path + " HTTP/1.1\r\n" + HOST + CLOSE + "\r\n");
        Answer head = exchange("HEAD " + path + " HTTP/1.1\r\n" + HOST + CLOSE + "\r\n");

        assertThat(head.status).as(head.raw).isEqualTo(get.status).isNotEqualTo(405);
        for (String h : new String[] { "Content-Type", "Cache-Control", "Allow" }) {
            assertThat(head.header(h)).as(h).isEqualTo(get.header(h));
        }
        assertThat(head.header("Content-Length")).isEqualTo(
                String.valueOf(get.body.getBytes(StandardCharsets.UTF_8).length));
        assertThat(head.body).isEmpty();
    }

    @Test
    void headWhereGetIsNotAllowedIs405NamingTheMethod() throws Exception {
        Answer head = exchange("HEAD /api/downloads/d1 HTTP/1.1\r\n" + HOST + CLOSE + "\r\n");

        assertThat(head.status).isEqualTo(405);
        assertThat(head.header("Allow")).isEqualTo("DELETE");
        assertThat(head.body).isEmpty();
    }

    private record Answer(int status, Map<String, String> headers, String body, String raw) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes the request's characters as bytes (ISO-8859-1), reads until the peer closes. */
    private Answer exchange(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", peer.httpPort()), 5000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the peer may answer and close before reading all of an over-long request: read its answer
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    private static Answer parse(byte[] bytes) {
        String raw = new String(bytes, StandardCharsets.UTF_8);
        int end = raw.indexOf("\r\n\r\n");
        assertThat(end).as("a complete HTTP answer: " + raw).isPositive();
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(status, headers, raw.substring(end + 4), raw);
    }
}
