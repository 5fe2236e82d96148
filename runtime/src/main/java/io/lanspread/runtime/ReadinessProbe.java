package io.lanspread.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final int TIMEOUT_MILLIS = 2000;

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

    /**
     * One {@code GET}, on a connection of its own that is closed after it: a plain {@link HttpURLConnection}
     * rather than the JDK's HTTP client, whose selector thread would live on in the idle peer and wake it every
     * few seconds until a garbage collection happens to find the client unreachable.
     */
    private Optional<StatusResponse> fetchStatus(URI uri) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setRequestProperty("Connection", "close");
            if (tokenNeeded && Files.isRegularFile(tokenFile)) {
                connection.setRequestProperty("Authorization",
                        "Bearer " + Files.readString(tokenFile, StandardCharsets.UTF_8).trim());
            }
            int status = connection.getResponseCode();
            if (status == 401) {
                tokenNeeded = true; // the bridge made the token file for this answer: the next poll sends it
            }
            if (status != 200) {
                return Optional.empty();
            }
            try (InputStream body = connection.getInputStream()) {
                return StatusResponse.parse(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
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
