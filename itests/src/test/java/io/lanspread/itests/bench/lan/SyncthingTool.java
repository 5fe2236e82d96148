package io.lanspread.itests.bench.lan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.Deadlines;

/**
 * Syncthing from a {@code sendonly} folder on the source host to a {@code receiveonly} folder on the receiver.
 * Each round the source file appears under a new name in the sender's folder (a hard link, untimed), the
 * sender scans it ({@code POST /rest/db/scan}, which returns when the scan is done: the file is hashed and in
 * the sender's index, which is checked at once). Timed from the end of that scan to the first poll (every 50 ms) that finds the file
 * under its final name with its full size in the receiver's folder (Syncthing pulls into a temporary file,
 * fsyncs it and renames it). Then the receiver's folder must be idle with nothing left to pull, the copy
 * byte-identical, and the sender deletes the file again (a scan), which the receiver applies before the
 * next round. CPU and peak RSS are the two Syncthing process trees' (monitor and Syncthing).
 */
public final class SyncthingTool implements Tool {

    private final String name;
    private final Syncthing sender;
    private final Syncthing receiver;
    private final SourceFile file;
    private final List<Long> quiet;
    private int files;

    public SyncthingTool(String name, Syncthing sender, Syncthing receiver, SourceFile file, List<Long> quiet) {
        this.name = name;
        this.sender = sender;
        this.receiver = receiver;
        this.file = file;
        this.quiet = quiet;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Sample run(String scenario, int round) throws Exception {
        receiver.awaitConnected(sender, 60);
        Conditions.await("the receiver's Syncthing folder empty", 60, this::receiverEmpty, this::describe);
        String fileName = "file-" + (++files) + ".bin";
        Path sent = file.linkAt(sender.folder().resolve(fileName));
        Path received = receiver.folder().resolve(fileName);
        String note = Settle.beforeTiming(quiet);
        sender.scan();
        long start = System.nanoTime();
        double receiver0 = ProcStats.treeCpuSeconds(receiver.pid());
        double sender0 = ProcStats.treeCpuSeconds(sender.pid());
        ProcStats.resetTreeHwm(receiver.pid());
        ProcStats.resetTreeHwm(sender.pid());
        JsonNode known = sender.file(fileName);
        if (known.path("global").path("size").asLong() != file.size()) {
            throw new AssertionError("the sender's scan returned without " + fileName + " in its index: " + known);
        }
        long deadline = start + CurlTool.timeout(file.size()).toNanos();
        while (!(Files.isRegularFile(received) && Files.size(received) == file.size())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Syncthing did not deliver " + fileName + " in time; " + describe());
            }
            Deadlines.pause(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double receiverCpu = ProcStats.treeCpuSeconds(receiver.pid()) - receiver0;
        double senderCpu = ProcStats.treeCpuSeconds(sender.pid()) - sender0;
        long receiverHwm = ProcStats.treeHwmKib(receiver.pid());
        long senderHwm = ProcStats.treeHwmKib(sender.pid());
        Conditions.await("the receiver's Syncthing folder idle and complete", 120, () -> {
            try {
                return receiver.idleAndComplete();
            } catch (Exception e) {
                return false;
            }
        }, this::describe);
        Copies.checkIdentical(name, received, file.size(), file.sha256());
        // drop it: deleted at the sender, the deletion synced to the receiver
        Files.delete(sent);
        sender.scan();
        Conditions.await("the receiver's copy deleted by Syncthing", 120, () -> !Files.exists(received), this::describe);
        return new Sample(scenario, name, round, file.size(), seconds, receiverCpu, senderCpu, receiverHwm, senderHwm,
                -1, note, null);
    }

    @Override
    public void reset() throws Exception {
        try (Stream<Path> list = Files.list(sender.folder())) {
            for (Path p : list.filter(p -> p.getFileName().toString().endsWith(".bin")).toList()) {
                Files.delete(p);
            }
        }
        sender.scan();
    }

    private boolean receiverEmpty() {
        try (Stream<Path> list = Files.list(receiver.folder())) {
            return list.noneMatch(p -> !p.getFileName().toString().equals(".stfolder")) && receiver.idleAndComplete();
        } catch (Exception e) {
            return false;
        }
    }

    private String describe() {
        try (Stream<Path> list = Files.list(receiver.folder())) {
            return "receiver folder " + list.map(p -> p.getFileName().toString()).toList() + ", receiver status "
                    + receiver.folderStatus() + ", sender status " + sender.folderStatus();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
