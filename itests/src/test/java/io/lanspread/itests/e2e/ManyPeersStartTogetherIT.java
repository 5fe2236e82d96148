package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.PeerProcess;

/**
 * Eight real peers started at the same moment on this machine, with SCR's default lock timeout (no
 * {@code -Dds.lock.timeout.milliseconds}): on a loaded machine the orchestrator's activation can take
 * longer than SCR waits for it, and the HTTP API must come up all the same. Every peer prints its ready
 * line (which the launcher prints only once {@code GET /api/status} answers 200) and serves the API.
 */
class ManyPeersStartTogetherIT {

    private static final int PEERS = 8;
    /**
     * For all of them together. A peer that cannot come up exits by itself (the launcher gives up 60 s
     * after its bundles started), which ends the wait for it at once; this only bounds a machine so
     * loaded that starting the framework alone takes a minute.
     */
    private static final long READY_SECONDS = 150;
    /** SCR's warnings in the peers' logs: a reference it gave up waiting for shows there. */
    private static final String JAVA_OPTS = "-Dds.loglevel=warn";

    private final List<PeerProcess> peers = new ArrayList<>();
    private Path work;

    @AfterEach
    void stopPeers() throws Exception {
        for (PeerProcess p : peers) {
            p.close();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    void everyPeerBecomesReadyAndServesTheApi() throws Exception {
        work = Files.createTempDirectory("lanspread-many");
        // started back to back, without waiting for any: their start-ups overlap on this 2-core machine;
        // mDNS stays off so that nothing leaves loopback
        for (int i = 0; i < PEERS; i++) {
            String name = "peer" + i;
            Path home = Files.createDirectories(work.resolve(name));
            peers.add(PeerProcess.startWithJvmOptions(home, name, home.resolve(name + ".log"), JAVA_OPTS,
                    "--no-mdns"));
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < PEERS; i++) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            PeerProcess peer = peers.get(i).awaitReady((int) left);
            JsonNode status = peer.get("/api/status");
            assertThat(status.get("peerId").asText()).isEqualTo(peer.peerId());
            assertThat(status.get("name").asText()).isEqualTo("peer" + i);
            assertThat(status.get("quicPort").asInt()).isEqualTo(peer.quicPort());
            assertThat(peer.get("/api/games").isArray()).isTrue();
            assertThat(peer.logText()).as("peer%d's log", i).doesNotContain("Error during instantiation");
            ids.add(peer.peerId());
            // for the report: how long SCR waited for the control service, if it had to
            peer.logText().lines().filter(l -> l.contains("PeerControl") || l.contains("lanspread ready"))
                    .forEach(l -> System.out.println("peer" + peerIndex(peer) + ": " + l));
        }
        assertThat(ids).as("every peer has its own identity").hasSize(PEERS);
    }

    private int peerIndex(PeerProcess peer) {
        return peers.indexOf(peer);
    }
}
