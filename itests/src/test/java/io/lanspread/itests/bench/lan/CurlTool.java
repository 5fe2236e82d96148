package io.lanspread.itests.bench.lan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.lanspread.itests.lab.LabHost;

/**
 * {@code curl -o FILE http://<source>:8080/<file>} on the receiver host from nginx on one source host, then
 * {@code sync FILE}: timed inside the host from curl's start to the file's fsync (see {@link ClientRun}).
 * Receiver CPU and peak RSS are curl's; sender CPU and peak RSS nginx's (master and worker).
 */
public final class CurlTool implements Tool {

    private final String name;
    private final LabHost receiver;
    private final Path outDir;
    private final Nginx source;
    private final SourceFile file;
    private final List<Long> quiet;

    public CurlTool(String name, LabHost receiver, Path outDir, Nginx source, SourceFile file, List<Long> quiet) {
        this.name = name;
        this.receiver = receiver;
        this.outDir = outDir;
        this.source = source;
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
        String note = Settle.beforeTiming(quiet);
        double sender0 = ProcStats.treeCpuSeconds(source.pid());
        ProcStats.resetTreeHwm(source.pid());
        ClientRun.Result r = ClientRun.run(receiver, out, List.of(Binaries.path("curl"), "-sS", "-f", "--noproxy", "*",
                "-o", out.toString(), source.url(file.fileName())), outDir.resolve(name + ".log"), timeout(file.size()));
        double sender = ProcStats.treeCpuSeconds(source.pid()) - sender0;
        long senderHwm = ProcStats.treeHwmKib(source.pid());
        Copies.checkIdentical(name, out, file.size(), file.sha256());
        Files.delete(out);
        return new Sample(scenario, name, round, file.size(), r.seconds(), r.cpuSeconds(), sender, r.peakRssKib(),
                senderHwm, -1, note.isEmpty() ? r.syncNote() : note + "; " + r.syncNote(), null);
    }

    /** Generous: two minutes plus 1 MiB/s. */
    static Duration timeout(long bytes) {
        return Duration.ofSeconds(120 + (bytes >> 20));
    }
}
