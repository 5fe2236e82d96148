package io.lanspread.itests.karaf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A peer's HTTP API on loopback, with its token when it has one. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<Integer> port;
    private final Supplier<String> token;

    /** {@code token} gives null for a peer that needs none. */
    Api(Supplier<Integer> port, Supplier<String> token) {
        this.port = port;
        this.token = token;
    }

    HttpResponse<String> send(String method, String path, boolean withToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        String t = withToken ? token.get() : null;
        if (t != null) {
            request.header("Authorization", "Bearer " + t);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET with the token; must answer 200; the parsed body. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", path, true);
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** POST with the token; must answer {@code expected}. */
    JsonNode post(String path, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", path, true);
        if (r.statusCode() != expected) {
            throw new AssertionError("POST " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static JsonNode parse(String body) throws IOException {
        return JSON.readTree(body);
    }
}
