package io.lanspread.itests.bench.lan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.lanspread.itests.lab.LabHost;

/**
 * {@code aria2c -s<n> -x1} on the receiver host, one URI per nginx source (so one connection to each), then
 * {@code sync FILE}: timed like curl (see {@link ClientRun}). Receiver CPU and peak RSS are aria2c's; sender
 * CPU the sum over the nginx sources, sender peak RSS the largest nginx's (master and worker).
 */
public final class Aria2Tool implements Tool {

    private final String name;
    private final LabHost receiver;
    private final Path outDir;
    private final List<Nginx> sources;
    private final SourceFile file;
    private final List<Long> quiet;

    public Aria2Tool(String name, LabHost receiver, Path outDir, List<Nginx> sources, SourceFile file, List<Long> quiet) {
        this.name = name;
        this.receiver = receiver;
        this.outDir = outDir;
        this.sources = sources;
        this.file = file;
        this.quiet = quiet;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Sample run(String scenario, int round) throws Exception {
        Files.createDirectories(outDir);
        Path out = outDir.resolve(file.fileName());
        Files.deleteIfExists(out);
        Files.deleteIfExists(outDir.resolve(file.fileName() + ".aria2"));
        List<String> cmd = new ArrayList<>(List.of(Binaries.path("aria2c"), "--no-conf=true", "-s" + sources.size(),
                "-x1", "--allow-overwrite=true", "--auto-file-renaming=false", "--disable-ipv6=true",
                "--summary-interval=0", "--console-log-level=warn", "--download-result=hide", "-d", outDir.toString(),
                "-o", file.fileName()));
        sources.forEach(s -> cmd.add(s.url(file.fileName())));
        String note = Settle.beforeTiming(quiet);
        double sender0 = senderCpu();
        sources.forEach(s -> ProcStats.resetTreeHwm(s.pid()));
        ClientRun.Result r = ClientRun.run(receiver, out, cmd, outDir.resolve(name + ".log"), CurlTool.timeout(file.size()));
        double sender = senderCpu() - sender0;
        long senderHwm = sources.stream().mapToLong(s -> ProcStats.treeHwmKib(s.pid())).max().orElse(0);
        Copies.checkIdentical(name, out, file.size(), file.sha256());
        Files.delete(out);
        return new Sample(scenario, name, round, file.size(), r.seconds(), r.cpuSeconds(), sender, r.peakRssKib(),
                senderHwm, -1, note.isEmpty() ? r.syncNote() : note + "; " + r.syncNote(), null);
    }

    private double senderCpu() {
        return sources.stream().mapToDouble(s -> ProcStats.treeCpuSeconds(s.pid())).sum();
    }
}
