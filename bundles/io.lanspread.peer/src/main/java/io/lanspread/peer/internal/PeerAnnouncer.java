package io.lanspread.peer.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerClient;

/** Tells every known peer about this peer: that its library changed or it moved to another port, and that it is leaving. */
final class PeerAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(PeerAnnouncer.class);

    private final PeerClient client;
    private final PeerDirectory directory;

    PeerAnnouncer(PeerClient client, PeerDirectory directory) {
        this.client = client;
        this.directory = directory;
    }

    /** To every known peer at once; fire and forget. */
    void libraryChanged(long revision) {
        for (PeerInfo peer : directory.peers()) {
            send(peer, "library change", () -> client.libraryChanged(peer.address(), revision));
        }
    }

    /** Introduces this peer again to every known peer, with the port it listens on now; fire and forget. */
    void hello(int listenPort, long revision) {
        for (PeerInfo peer : directory.peers()) {
            send(peer, "new port", () -> client.hello(peer.address(), listenPort, revision).thenApply(h -> null));
        }
    }

    /** Says goodbye to every known peer at once and waits for their answers, at most {@code wait} in all. */
    void goodbye(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<CompletableFuture<Void>> sent = directory.peers().stream()
                .map(peer -> send(peer, "goodbye", () -> client.goodbye(peer.address()))).toList();
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.debug("Not every peer took the goodbye within {} ms", wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("Goodbye failed", e); // not expected: send() absorbs every failure
        }
    }

    /** The request's outcome, never failing: a peer that does not take it is only logged. */
    private static CompletableFuture<Void> send(PeerInfo peer, String what, Supplier<CompletionStage<Void>> request) {
        return PeerRequests.start(request).handle((v, error) -> {
            if (error != null) {
                LOG.debug("Peer {} did not take the {}: {}", peer.peerId(), what, PeerRequests.message(error));
            }
            return null;
        });
    }
}
