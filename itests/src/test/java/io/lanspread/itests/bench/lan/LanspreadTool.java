package io.lanspread.itests.bench.lan;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.Deadlines;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;

/**
 * lanspread from one or more long-lived source peers to a long-lived receiver peer, over their HTTP APIs
 * from this JVM. Untimed: the receiver lists the game from every source (so each source's manifest is ready)
 * and not locally. Timed from just before {@code POST /api/games/<id>/download} to the first poll (every 50
 * ms) of {@code GET /api/downloads} that shows the download FINISHED (verified and installed). Then the
 * receiver's heap ({@code jcmd GC.heap_info}), the copy checked byte-identical, and the round undone: {@code
 * DELETE /api/downloads/<id>}, the installed game folder deleted, until the receiver lists the game as
 * remote only again. CPU is the receiver's JVM's and the sum over the sources' JVMs; the sender's peak RSS the largest source's.
 */
public final class LanspreadTool implements Tool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final LabPeer receiver;
    private final List<LabPeer> sources;
    private final String game;
    private final String fileName;
    private final SourceFile file;
    private final List<Long> quiet;

    /** {@code game} holds one file, {@code fileName}, a hard link of {@code file} in every source. */
    public LanspreadTool(String name, LabPeer receiver, List<LabPeer> sources, String game, String fileName,
            SourceFile file, List<Long> quiet) {
        this.name = name;
        this.receiver = receiver;
        this.sources = sources;
        this.game = game;
        this.fileName = fileName;
        this.file = file;
        this.quiet = quiet;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Sample run(String scenario, int round) throws Exception {
        awaitListedFromEverySource(300);
        long receiverPid = jvm(receiver);
        String note = Settle.beforeTiming(quiet);
        double receiver0 = ProcStats.cpuSeconds(receiverPid);
        double sender0 = senderCpu();
        long[] udp0 = ProcStats.udpDatagrams(receiverPid);
        ProcStats.resetTreeHwm(receiverPid);
        sources.forEach(s -> ProcStats.resetTreeHwm(jvm(s)));
        long start = System.nanoTime();
        HttpResponse<String> posted = PeerHttp.send(receiver, "POST", "/api/games/" + game + "/download");
        if (posted.statusCode() != 202) {
            throw new AssertionError(receiver.name() + ": POST download of " + game + " -> " + posted.statusCode() + " "
                    + posted.body());
        }
        String id = JSON.readTree(posted.body()).get("id").asText();
        long deadline = start + CurlTool.timeout(file.size()).toNanos() * 2;
        JsonNode done = null;
        long lastBytes = 0;
        long firstByte = -1;
        long lastProgress = start;
        long longestGap = 0;
        while (done == null) {
            JsonNode d = find(receiver.get("/api/downloads"), id);
            long now = System.nanoTime();
            if (d != null) {
                long bytes = d.path("downloadedBytes").asLong();
                if (bytes != lastBytes) {
                    lastBytes = bytes;
                    lastProgress = now;
                    if (firstByte < 0) {
                        firstByte = now - start;
                    }
                }
                if (firstByte >= 0) {
                    longestGap = Math.max(longestGap, now - lastProgress);
                }
                String state = d.path("state").asText();
                if (!state.equals("RUNNING") && !state.equals("WAITING")) {
                    done = d;
                    break;
                }
            }
            if (now > deadline) {
                throw new AssertionError(name + ": the download did not end in time: " + d);
            }
            Deadlines.pause(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double receiverCpu = ProcStats.cpuSeconds(receiverPid) - receiver0;
        double senderCpu = senderCpu() - sender0;
        long[] udp1 = ProcStats.udpDatagrams(receiverPid);
        long receiverHwm = ProcStats.treeHwmKib(receiverPid);
        long senderHwm = sources.stream().mapToLong(s -> ProcStats.treeHwmKib(jvm(s))).max().orElse(0);
        long heap = JvmHeap.usedKib(receiverPid);
        List<String> notes = new ArrayList<>();
        if (!note.isEmpty()) {
            notes.add(note);
        }
        if (firstByte >= 0) {
            // downloadedBytes is refreshed every progress interval (500 ms by default)
            notes.add(String.format("first bytes seen after %.1f s", firstByte / 1e9));
        }
        // in the receiver's namespace: data arriving, and what it sends back (ACKs, flow-control credit)
        double mib = file.size() / Sample.MIB;
        notes.add(String.format("UDP datagrams per MiB at the receiver: %.0f in, %.1f out", (udp1[0] - udp0[0]) / mib,
                (udp1[1] - udp0[1]) / mib));
        try {
            if (!done.path("state").asText().equals("FINISHED")) {
                throw new AssertionError(name + ": the download ended " + done.path("state").asText() + ": " + done);
            }
            long total = done.path("totalBytes").asLong();
            if (done.path("fetchedBytes").asLong() != total || done.path("reusedBytes").asLong() != 0) {
                notes.add("fetched " + done.path("fetchedBytes").asLong() + " of " + total + " bytes (reused "
                        + done.path("reusedBytes").asLong() + ")");
            }
            if (longestGap > 1_500_000_000L) {
                notes.add(String.format("then %.1f s without progress", longestGap / 1e9));
            }
            if (done.path("notes").size() > 0) {
                notes.add("notes: " + done.path("notes"));
            }
            Copies.checkIdentical(name, receiver.gamesDir().resolve(game).resolve(fileName), file.size(), file.sha256());
        } finally {
            undo(id);
        }
        return new Sample(scenario, name, round, file.size(), seconds, receiverCpu, senderCpu, receiverHwm, senderHwm,
                heap, String.join("; ", notes), null);
    }

    @Override
    public void reset() throws Exception {
        for (JsonNode d : receiver.get("/api/downloads")) {
            if (game.equals(d.path("gameId").asText())) {
                PeerHttp.send(receiver, "DELETE", "/api/downloads/" + d.path("id").asText());
            }
        }
        FileTrees.delete(receiver.gamesDir().resolve(game));
    }

    /** The ended download removed, the installed copy deleted, the game listed as remote only again. */
    private void undo(String id) throws Exception {
        HttpResponse<String> deleted = PeerHttp.send(receiver, "DELETE", "/api/downloads/" + id);
        if (deleted.statusCode() != 204) {
            throw new AssertionError(receiver.name() + ": DELETE download " + id + " -> " + deleted.statusCode() + " "
                    + deleted.body());
        }
        FileTrees.delete(receiver.gamesDir().resolve(game));
        awaitListedFromEverySource(120);
    }

    private void awaitListedFromEverySource(int seconds) {
        Conditions.awaitValue(receiver.name() + " listing " + game + " from " + sources + " and not locally", seconds,
                () -> {
                    JsonNode g = receiver.game(game);
                    if (g == null || g.path("local").asBoolean()) {
                        return null;
                    }
                    for (LabPeer s : sources) {
                        if (!receiver.listsGameFrom(game, s.peerId())) {
                            return null;
                        }
                    }
                    return find(receiver.get("/api/downloads"), null) == null ? g : null;
                });
        if (Files.exists(receiver.gamesDir().resolve(game))) {
            throw new AssertionError(receiver.name() + " still has " + game + " installed");
        }
    }

    private double senderCpu() {
        return sources.stream().mapToDouble(s -> ProcStats.cpuSeconds(jvm(s))).sum();
    }

    /** The download {@code id}; with a null id, any download of this game. */
    private JsonNode find(JsonNode downloads, String id) {
        for (JsonNode d : downloads) {
            if (id == null ? game.equals(d.path("gameId").asText()) : id.equals(d.path("id").asText())) {
                return d;
            }
        }
        return null;
    }

    /** The peer's JVM: the lab process itself ({@code ip netns exec}, {@code env} and ./lanspread all exec). */
    static long jvm(LabPeer peer) {
        long pid = peer.process().pid();
        return Conditions.awaitValue("the JVM of " + peer + " (pid " + pid + ")", 30, () -> {
            if (!peer.process().isAlive()) {
                throw new AssertionError(peer + " ended: " + peer.logText());
            }
            for (long p : ProcStats.tree(pid)) {
                if (ProcStats.comm(p).equals("java")) {
                    return p;
                }
            }
            return null;
        });
    }

    /** The peers' logs must not hold a QUIC flow-control error. */
    public static String flowControlErrors(List<LabPeer> peers) {
        List<String> found = new ArrayList<>();
        for (LabPeer p : peers) {
            try {
                if (Files.exists(p.log()) && Files.readString(p.log()).contains("FLOW_CONTROL")) {
                    found.add(p.name());
                }
            } catch (java.io.IOException e) {
                found.add(p.name() + " (log unreadable: " + e + ")");
            }
        }
        return found.isEmpty() ? "" : "FLOW_CONTROL in the logs of " + found;
    }

}
