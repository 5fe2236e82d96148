package io.lanspread.bridge.http.felix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Jetty 11 (the one Felix HTTP Jetty embeds) with a servlet context like Felix's, the factory used
 * the way Felix uses it, and raw requests over a socket.
 */
class JsonErrorsConnectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HOST = "Host: 127.0.0.1\r\n";

    private Server server;
    private ServerConnector http;

    @BeforeEach
    void startJetty() throws Exception {
        server = new Server();
        http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setPort(0);
        server.addConnector(http);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getRequestURI().endsWith("/boom")) {
                    throw new IllegalStateException("secret internal detail");
                }
                resp.setContentType("text/plain");
                resp.getWriter().write("ok");
            }
        }), "/app/*");
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stopJetty() throws Exception {
        server.stop();
    }

    /** What Felix's ConnectorFactoryTracker does with a factory's connector. */
    private Connector install() throws Exception {
        Connector connector = new JsonErrorsConnectorFactory().createConnector(server);
        server.addConnector(connector);
        connector.start();
        return connector;
    }

    private RawHttp.Answer send(String request) throws IOException {
        return RawHttp.exchange(http.getLocalPort(), request);
    }

    private static JsonNode assertJsonError(RawHttp.Answer answer, int status) throws IOException {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.raw()).startsWith("application/json");
        JsonNode body = MAPPER.readTree(answer.body());
        assertThat(body.size()).as(answer.body()).isEqualTo(1);
        String error = body.get("error").asText();
        assertThat(error).isNotBlank().doesNotContain("<", "Bad Message", "Exception", "secret");
        return body;
    }

    static Stream<Arguments> parserRefusals() {
        return Stream.of(
                Arguments.of("encoded dot segment", "GET /app/%2e%2e/x HTTP/1.1\r\n" + HOST + "\r\n", 400, "ambiguous"),
                Arguments.of("empty segment", "GET //app/x HTTP/1.1\r\n" + HOST + "\r\n", 400, "ambiguous"),
                Arguments.of("bad %-escape", "GET /app/%zz HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed"),
                Arguments.of("no Host", "GET /app/x HTTP/1.1\r\n\r\n", 400, "no Host header"),
                Arguments.of("two Hosts", "GET /app/x HTTP/1.1\r\n" + HOST + HOST + "\r\n", 400, "more than one Host"),
                Arguments.of("bad Content-Length", "POST /app/x HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n\r\n",
                        400, "not a valid length"),
                Arguments.of("two Content-Lengths", "POST /app/x HTTP/1.1\r\n" + HOST
                        + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400, "more than one Content-Length"),
                Arguments.of("Content-Length and chunked", "POST /app/x HTTP/1.1\r\n" + HOST
                        + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "only one"),
                Arguments.of("control character", "GET /app/x HTTP/1.1\r\n" + HOST + "X-A\u0000: b\r\n\r\n", 400,
                        "character"),
                Arguments.of("unknown HTTP version", "GET /app/x HTTP/7.0\r\n" + HOST + "\r\n", 505, "HTTP/1.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parserRefusals")
    void whatTheParserRefusesIsJson(String name, String request, int status, String sentencePart) throws Exception {
        install();

        JsonNode body = assertJsonError(send(request), status);

        assertThat(body.get("error").asText()).containsIgnoringCase(sentencePart);
    }

    @Test
    void overLongUriAndHeadersAreJson414And431() throws Exception {
        install();

        assertJsonError(send("GET /app/" + "a".repeat(40_000) + " HTTP/1.1\r\n" + HOST + "\r\n"), 414);
        assertJsonError(send("GET /app/x HTTP/1.1\r\n" + HOST + "X-Big: " + "a".repeat(40_000) + "\r\n\r\n"), 431);
    }

    @Test
    void errorsOfTheServletLayerAreJsonWhateverTheClientAccepts() throws Exception {
        install();

        assertThat(assertJsonError(send("GET /nothing HTTP/1.1\r\n" + HOST + "Accept: text/html\r\n\r\n"), 404)
                .get("error").asText()).isEqualTo("no such resource");
        assertJsonError(send("GET /app/boom HTTP/1.1\r\n" + HOST + "\r\n"), 500);
        assertJsonError(send("DELETE /nothing HTTP/1.1\r\n" + HOST + "\r\n"), 405);
    }

    @Test
    void aGoodRequestIsUntouched() throws Exception {
        install();

        RawHttp.Answer ok = send("GET /app/x HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
    }

    @Test
    void theConnectorListensNowhereAndNamesTheRealEndpoint() throws Exception {
        // starting it would fail with "address in use" if it bound the port it names
        ServerConnector connector = (ServerConnector) install();

        assertThat(connector.isOpen()).isFalse();
        assertThat(connector.getHost()).isEqualTo("127.0.0.1");
        assertThat(connector.getPort()).isEqualTo(http.getLocalPort());
        assertThat(connector.getSelectorManager().isStarted()).as("no selector thread").isFalse();
    }

    @Test
    void stoppingItPutsJettysOwnErrorHandlingBack() throws Exception {
        Connector connector = install();
        connector.stop();
        server.removeConnector(connector);

        RawHttp.Answer parser = send("GET /app/%2e%2e/x HTTP/1.1\r\n" + HOST + "\r\n");
        RawHttp.Answer context = send("GET /nothing HTTP/1.1\r\n" + HOST + "Accept: text/html\r\n\r\n");

        assertThat(parser.header("Content-Type")).startsWith("text/html");
        assertThat(context.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void withoutItJettyAnswersHtml() throws Exception {
        // the baseline this bundle exists for: were Jetty's answers JSON already, these tests would prove nothing
        assertThat(send("GET /app/x HTTP/1.1\r\n\r\n").header("Content-Type")).startsWith("text/html");
    }
}
