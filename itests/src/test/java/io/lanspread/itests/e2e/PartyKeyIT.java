package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.PeerProcess;

/**
 * Three real peers on loopback: two started with the same {@code --party-key} list each other; one started
 * without it calls the first and is never listed by it, nor lists it. The secret appears in no output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartyKeyIT {

    private static final String SECRET = "lan-party-2026-xyzzy";

    private Path work;
    private PeerProcess host;
    private PeerProcess member;
    private PeerProcess outsider;

    @BeforeAll
    void startPeers() throws Exception {
        work = Files.createTempDirectory("lanspread-party");
        // mDNS off: nothing leaves loopback
        host = PeerProcess.start(Files.createDirectories(work.resolve("host")), "host", "--no-mdns",
                "--party-key", SECRET).awaitReady(120);
        String hostAddress = "127.0.0.1:" + host.quicPort();
        member = PeerProcess.start(Files.createDirectories(work.resolve("member")), "member", "--no-mdns",
                "--party-key=" + SECRET, "--peer", hostAddress).awaitReady(120);
        outsider = PeerProcess.start(Files.createDirectories(work.resolve("outsider")), "outsider", "--no-mdns",
                "--peer", hostAddress).awaitReady(120);
    }

    @AfterAll
    void stopPeers() throws Exception {
        for (PeerProcess p : new PeerProcess[] {outsider, member, host}) {
            if (p != null) {
                p.close();
            }
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    void membersListEachOtherAndTheOutsiderIsNeverListed() throws Exception {
        Conditions.awaitValue("the member listed on the host", 60,
                () -> peerIds(host.get("/api/peers")).contains(member.peerId()) ? Boolean.TRUE : null);
        Conditions.awaitValue("the host listed on the member", 60,
                () -> peerIds(member.get("/api/peers")).contains(host.peerId()) ? Boolean.TRUE : null);

        // the outsider greeted the host (it was refused: the host logs it), and neither lists the other
        Conditions.await("the host refusing the outsider", 60,
                () -> host.logText().contains("a request before the party key was proven"), () -> "host log");
        assertThat(peerIds(host.get("/api/peers"))).containsExactly(member.peerId());
        assertThat(peerIds(outsider.get("/api/peers"))).isEmpty();
        assertThat(peerIds(member.get("/api/peers"))).containsExactly(host.peerId());

        for (PeerProcess p : new PeerProcess[] {host, member, outsider}) {
            assertThat(p.logText()).as("output of a peer").doesNotContain(SECRET).contains("lanspread ready");
        }
    }

    private static List<String> peerIds(JsonNode peers) {
        List<String> ids = new ArrayList<>();
        peers.forEach(p -> ids.add(p.get("peerId").asText()));
        return ids;
    }
}
