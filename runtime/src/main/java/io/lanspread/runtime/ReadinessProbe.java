package io.lanspread.runtime;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Waits until the peer answers: the HTTP whiteboard runtime is registered (its {@code osgi.http.endpoint}
 * gives the real HTTP port, also when port 0 was asked for) and {@code GET api/status} returns 200 with
 * a peer id.
 */
final class ReadinessProbe {

    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";
    private static final String ENDPOINT = "osgi.http.endpoint";
    private static final long POLL_MILLIS = 100;

    /**
     * What the ready line reports; {@code url} is the HTTP root, where the page is; {@code tokenFile} is set
     * when the page and API ask for the token (they listen beyond loopback).
     */
    record Ready(StatusResponse status, int httpPort, URI url, Optional<Path> tokenFile) {
    }

    private final Framework framework;
    private final BundleContext context;
    private final Path tokenFile;
    private boolean tokenNeeded;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** @param tokenFile where the HTTP bridge keeps the token it asks for off loopback */
    ReadinessProbe(Framework framework, Path tokenFile) {
        this.framework = framework;
        this.context = framework.getBundleContext();
        this.tokenFile = tokenFile;
    }

    /** Empty when the deadline passes first or the framework stops meanwhile. */
    Optional<Ready> await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, HTTP_RUNTIME, null);
        tracker.open();
        try {
            while (System.nanoTime() < deadline && framework.getState() == Bundle.ACTIVE) {
                Optional<URI> endpoint = endpoint(tracker.getServiceReference());
                if (endpoint.isPresent()) {
                    Optional<StatusResponse> status = fetchStatus(endpoint.get().resolve("api/status"));
                    if (status.isPresent()) {
                        return Optional.of(new Ready(status.get(), endpoint.get().getPort(), endpoint.get(),
                                tokenNeeded ? Optional.of(tokenFile) : Optional.empty()));
                    }
                }
                Thread.sleep(POLL_MILLIS); // poll interval, bounded by the deadline above
            }
            return Optional.empty();
        } finally {
            tracker.close();
        }
    }

    private Optional<StatusResponse> fetchStatus(URI uri) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET();
            if (tokenNeeded && Files.isRegularFile(tokenFile)) {
                request.header("Authorization", "Bearer " + Files.readString(tokenFile, StandardCharsets.UTF_8).trim());
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                tokenNeeded = true; // the bridge made the token file for this answer: the next poll sends it
            }
            return response.statusCode() == 200 ? StatusResponse.parse(response.body()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The first endpoint URL, with a wildcard host replaced by loopback; empty until Jetty is up. */
    static Optional<URI> endpoint(ServiceReference<?> ref) {
        if (ref == null) {
            return Optional.empty();
        }
        Object value = ref.getProperty(ENDPOINT);
        String first = value instanceof String[] array && array.length > 0 ? array[0]
                : value instanceof String s ? s
                : value instanceof java.util.Collection<?> c && !c.isEmpty() ? String.valueOf(c.iterator().next())
                : null;
        if (first == null) {
            return Optional.empty();
        }
        URI uri = URI.create(first.endsWith("/") ? first : first + "/");
        if (uri.getPort() <= 0) {
            return Optional.empty();
        }
        String host = uri.getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
            uri = URI.create("http://127.0.0.1:" + uri.getPort() + uri.getPath());
        }
        return Optional.of(uri);
    }
}
