package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.bench.ThreadDumps;
import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;

/**
 * Ten real peers started at the same moment, one per LAN-lab host, with the product's defaults (mDNS
 * on, no {@code --peer}) and SCR's default lock timeout (no {@code -Dds.lock.timeout.milliseconds}): on
 * this 2-core machine their start-ups overlap and each activation takes long, and every peer must still
 * become ready (print its ready line, which the launcher prints only once {@code GET /api/status} answers
 * 200), serve the API and list all nine others at their LAN addresses.
 *
 * <p>{@code -Dmany.peers.tries=N} repeats the whole start (fresh identities each time) N times; the default,
 * one, keeps the test at about two minutes (a try took 127 s on average in a run of five on this loaded
 * 2-core machine). Every try runs; the test fails at the end naming each failed one. Peer logs go to
 * {@code target/lab-logs/ManyPeersStartTogetherIT/try-N/}, with thread dumps of peers that fell behind.
 */
class ManyPeersStartTogetherIT {

    private static final int PEERS = 10;
    private static final int TRIES = Integer.getInteger("many.peers.tries", 1);
    /**
     * For all of them together. A peer that cannot come up exits by itself (the launcher gives up 60 s
     * after its bundles started); this only bounds a machine so loaded that starting ten JVMs takes minutes.
     */
    private static final Duration READY_LIMIT = Duration.ofSeconds(280);
    /** From the last ready line until every peer lists all the others. */
    private static final Duration LISTED_LIMIT = Duration.ofSeconds(60);
    /**
     * SCR's warnings in the peers' logs (a reference it gave up waiting for shows there), and whatever
     * {@code -Dmany.peers.java.opts} adds (say debug logging of one class to diagnose a failure).
     */
    private static final Map<String, String> ENV = Map.of("LANSPREAD_JAVA_OPTS",
            ("-Dds.loglevel=warn " + System.getProperty("many.peers.java.opts", "")).strip());

    @Test
    void tenPeersStartedAtOnceAllBecomeReadyAndListEachOther() throws Exception {
        Lab.assumeSupported();
        Path logs = LabPeer.logDir(getClass());
        FileTrees.delete(logs);
        Path work = Files.createTempDirectory("lanspread-many");
        List<String> results = new ArrayList<>();
        List<AssertionError> failures = new ArrayList<>();
        try (Lab lab = Lab.create(PEERS)) {
            List<Integer> api = new ArrayList<>();
            for (LabHost h : lab.hosts()) {
                api.add(h.forward(LabPeer.HTTP_PORT));
            }
            // every try runs, so that a report of N tries says how each went
            for (int attempt = 1; attempt <= TRIES; attempt++) {
                try {
                    results.add(oneStart(lab, api, work.resolve("try-" + attempt), logs.resolve("try-" + attempt),
                            attempt));
                } catch (AssertionError e) {
                    failures.add(e);
                    results.add("try " + attempt + ": FAILED: " + e.getMessage().lines().findFirst().orElse(""));
                }
                System.out.println(results.get(results.size() - 1));
            }
        } finally {
            FileTrees.delete(work);
            System.out.println("many peers, " + (results.size() - failures.size()) + " of " + TRIES
                    + " tries passed:\n  " + String.join("\n  ", results));
        }
        if (!failures.isEmpty()) {
            AssertionError all = new AssertionError(failures.size() + " of " + TRIES + " tries failed:\n  "
                    + String.join("\n  ", results) + "\n(logs and thread dumps in " + logs + ")", failures.get(0));
            failures.stream().skip(1).forEach(all::addSuppressed);
            throw all;
        }
    }

    private String oneStart(Lab lab, List<Integer> api, Path work, Path logs, int attempt) throws Exception {
        List<LabPeer> peers = new ArrayList<>();
        try {
            long started = System.nanoTime();
            // started back to back, without waiting for any
            for (LabHost h : lab.hosts()) {
                peers.add(LabPeer.start(h, api.get(h.index() - 1), Files.createDirectories(work.resolve(h.name())),
                        "many-" + h.name(), ENV));
            }
            long deadline = started + READY_LIMIT.toNanos();
            for (LabPeer p : peers) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
                try {
                    p.awaitReady((int) left);
                } catch (AssertionError e) {
                    dumpThreads(peers, logs, q -> !q.process().isAlive() || !isReady(q));
                    throw new AssertionError("try " + attempt + ": " + e.getMessage(), e);
                }
            }
            long lastReady = peers.stream().mapToLong(LabPeer::readyNanos).max().orElseThrow();
            Set<String> ids = new HashSet<>();
            for (LabPeer p : peers) {
                JsonNode status = p.get("/api/status");
                assertThat(status.get("peerId").asText()).isEqualTo(p.peerId());
                assertThat(status.get("name").asText()).isEqualTo(p.name());
                assertThat(status.get("quicPort").asInt()).isEqualTo(LabPeer.QUIC_PORT);
                assertThat(p.get("/api/games").isArray()).isTrue();
                assertThat(p.logText()).as("%s's log (try %d)", p.name(), attempt)
                        .doesNotContain("Error during instantiation");
                ids.add(p.peerId());
            }
            assertThat(ids).as("every peer has its own identity").hasSize(PEERS);
            Map<String, Long> listed;
            try {
                listed = Deadlines.whenEach("listing all nine others (try " + attempt + ")", peers, LabPeer::name,
                        lastReady, LISTED_LIMIT, p -> listsAllOthers(p, peers));
            } catch (AssertionError e) {
                dumpThreads(peers, logs, q -> !listsAllOthersQuietly(q, peers));
                throw e;
            }
            for (LabPeer observer : peers) {
                JsonNode entries = observer.get("/api/peers");
                assertThat(entries).as(observer.name() + " lists exactly the nine others: " + entries).hasSize(PEERS - 1);
                for (JsonNode entry : entries) {
                    LabPeer other = peers.stream().filter(p -> p.peerId().equals(entry.get("peerId").asText()))
                            .findFirst().orElseThrow();
                    assertThat(entry.get("address").asText()).as("found over the LAN").contains(other.host().address());
                }
            }
            long firstReady = peers.stream().mapToLong(LabPeer::readyNanos).min().orElseThrow();
            return String.format("try %d: all %d ready %.1f-%.1f s after the start; all listed each other %.1f s"
                    + " after the last ready line (slowest %s)", attempt, PEERS, (firstReady - started) / 1e9,
                    (lastReady - started) / 1e9, listed.values().stream().mapToLong(Long::longValue).max().orElse(0)
                            / 1e3, slowest(listed));
        } finally {
            for (LabPeer p : peers) {
                p.terminate();
            }
            for (LabPeer p : peers) {
                if (!p.process().waitFor(15, TimeUnit.SECONDS)) {
                    p.kill();
                }
                p.keepLog(logs);
            }
        }
    }

    private static boolean listsAllOthers(LabPeer observer, List<LabPeer> peers) throws Exception {
        List<String> listed = observer.listedPeerIds();
        return peers.stream().filter(p -> p != observer).allMatch(p -> listed.contains(p.peerId()));
    }

    private static boolean listsAllOthersQuietly(LabPeer observer, List<LabPeer> peers) {
        try {
            return listsAllOthers(observer, peers);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isReady(LabPeer peer) {
        try {
            peer.peerId();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void dumpThreads(List<LabPeer> peers, Path logs, java.util.function.Predicate<LabPeer> behind) {
        for (LabPeer p : peers) {
            if (behind.test(p)) {
                ThreadDumps.keep(p.process(), logs.resolve(p.name() + ".threads.txt"));
            }
        }
    }

    private static String slowest(Map<String, Long> listed) {
        return listed.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("-");
    }
}
