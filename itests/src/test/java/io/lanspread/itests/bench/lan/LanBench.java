package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;

/**
 * The LAN throughput benchmark's run, shared by {@code LanThroughputBenchmark} and its smoke test: a lab of
 * one receiver host (h1) and {@code sources} source hosts (h2, h3, ...), links MTU 1500, on which the same
 * files move with every tool, in interleaved rounds:
 * <ol>
 * <li>one unshaped source (h2): nginx -> curl, Syncthing, lanspread, all on the same file (and iperf3 TCP
 * memory to memory as a reference of the link);</li>
 * <li>every source host's link shaped with tc tbf: curl over one link alone (its ceiling), aria2c from every
 * nginx, lanspread from every source peer, all on a second file;</li>
 * <li>optionally (checked) a big game from one source and from every source, unshaped, the peers restarted
 * with other JVM options.</li>
 * </ol>
 * Every peer, nginx and Syncthing is started once and lives across rounds; lanspread runs with its default
 * settings and {@code LANSPREAD_JAVA_OPTS} = {@link Options#javaOpts}. Before every round of every tool:
 * {@code sync}, the previous copy gone, the machine quiet ({@link Settle}). A round that fails is recorded
 * (with why) and the run goes on; the caller fails on it after writing the report.
 */
public final class LanBench {

    /** What to run. */
    public record Options(int soloMib, int multiMib, int sources, int shapedMbit, int rounds, boolean warmUp,
            boolean syncthing, boolean aria2, boolean linkCeiling, boolean iperf3, String javaOpts, int checkedMib,
            String checkedJavaOpts, Class<?> logOwner) {
    }

    /** Which other row a row is compared with: {@code factor} x that row's median, or a fixed MiB/s when tool is null. */
    public record Anchor(String label, String tool, double factor, double fixedMibs) {
    }

    /**
     * One part of the run: its tools (rows), the anchors of each row, and the rows that are references only
     * (no file moved, so nothing to check byte-identical: iperf3).
     */
    public record Scenario(String title, long bytes, List<String> tools, Map<String, List<Anchor>> anchors,
            List<String> references) {
    }

    /** Everything the report needs. */
    public record Results(List<Scenario> scenarios, List<Sample> samples, String loadBefore, String loadAfter,
            long millis) {
        public List<Sample> failures() {
            return samples.stream().filter(s -> !s.ok()).toList();
        }
    }

    public static final String SOLO = "solo";
    public static final String MULTI = "multi";
    public static final String BIG = "big";
    private static final String DATA = "data.bin";

    private final Options o;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private Lab lab;
    private Path work;
    private LabPeer receiver;
    private final List<LabPeer> sources = new ArrayList<>();
    private final List<Nginx> nginx = new ArrayList<>();
    private Syncthing stSender;
    private Syncthing stReceiver;
    private Long iperfServer;

    public LanBench(Options options) {
        this.o = options;
    }

    public Results run() throws Exception {
        long t0 = System.currentTimeMillis();
        Files.deleteIfExists(Path.of("target", "benchmarks", o.logOwner().getSimpleName() + "-progress.log"));
        progress("lab: receiver h1, sources h2..h" + (1 + o.sources()) + "; writing the files and starting the peers");
        String loadBefore = MachineInfo.loadAverage();
        work = Files.createTempDirectory("lanspread-lan-bench");
        try (Lab l = Lab.create(1 + o.sources())) {
            lab = l;
            SourceFile solo = SourceFile.create(work.resolve("data").resolve(SOLO + ".bin"), o.soloMib(), 1);
            SourceFile multi = SourceFile.create(work.resolve("data").resolve(MULTI + ".bin"), o.multiMib(), 2);
            for (int i = 0; i < o.sources(); i++) {
                LabHost host = lab.host(2 + i);
                Path games = work.resolve(host.name()).resolve("peer").resolve("games");
                Path www = work.resolve(host.name()).resolve("nginx").resolve("www");
                if (i == 0) {
                    addGame(games, SOLO, solo);
                    solo.linkAt(www.resolve(solo.fileName()));
                }
                addGame(games, MULTI, multi);
                multi.linkAt(www.resolve(multi.fileName()));
                nginx.add(Nginx.start(host, www.getParent()));
            }
            startPeers(o.javaOpts());
            if (o.syncthing()) {
                startSyncthing();
            }
            LabHost rx = lab.host(1);
            Path rxHome = work.resolve(rx.name());

            List<Tool> one = new ArrayList<>();
            List<String> references = new ArrayList<>();
            if (o.iperf3()) {
                Iperf3Tool iperf = new Iperf3Tool("iperf3 TCP (reference)", rx, rxHome.resolve("iperf3"), lab.host(2),
                        solo.size(), quiet());
                iperfServer = iperf.startServer();
                one.add(iperf);
                references.add(iperf.name());
            }
            one.add(new CurlTool("nginx -> curl", rx, rxHome.resolve("curl"), nginx.get(0), solo, quiet()));
            if (o.syncthing()) {
                one.add(new SyncthingTool("Syncthing", stSender, stReceiver, solo, quiet()));
            }
            one.add(new LanspreadTool("lanspread", receiver, List.of(sources.get(0)), SOLO, DATA, solo, quiet()));
            Map<String, List<Anchor>> oneAnchors = new LinkedHashMap<>();
            List<Anchor> lsAnchors = new ArrayList<>();
            if (o.syncthing()) {
                lsAnchors.add(new Anchor("Syncthing", "Syncthing", 1, 0));
            }
            lsAnchors.add(new Anchor("curl", "nginx -> curl", 1, 0));
            oneAnchors.put("lanspread", lsAnchors);
            runScenario("one source, unshaped, " + o.soloMib() + " MiB", solo.size(), one, oneAnchors, references);

            if (o.shapedMbit() > 0) {
                for (LabPeer s : sources) {
                    s.host().shape(o.shapedMbit());
                }
            }
            String links = o.shapedMbit() > 0 ? "each link " + o.shapedMbit() + " Mbit/s (tc tbf)" : "unshaped";
            String lsMulti = "lanspread, " + o.sources() + " sources";
            String curlLink = "curl, one link";
            String aria = "aria2c -s" + o.sources() + " -x1";
            List<Tool> many = new ArrayList<>();
            Map<String, List<Anchor>> manyAnchors = new LinkedHashMap<>();
            List<Anchor> lsManyAnchors = new ArrayList<>();
            if (o.linkCeiling()) {
                many.add(new CurlTool(curlLink, rx, rxHome.resolve("curl"), nginx.get(0), multi, quiet()));
                if (o.shapedMbit() > 0) {
                    double rate = o.shapedMbit() * 1e6 / 8 / Sample.MIB;
                    manyAnchors.put(curlLink, List.of(new Anchor(String.format("the tbf rate (%.1f MiB/s)", rate), null,
                            1, rate)));
                }
            }
            if (o.aria2()) {
                many.add(new Aria2Tool(aria, rx, rxHome.resolve("aria2"), nginx, multi, quiet()));
                lsManyAnchors.add(new Anchor("aria2c", aria, 1, 0));
                if (o.linkCeiling()) {
                    manyAnchors.put(aria, List.of(new Anchor(o.sources() + " x curl", curlLink, o.sources(), 0)));
                }
            }
            if (o.linkCeiling()) {
                lsManyAnchors.add(new Anchor(o.sources() + " x curl", curlLink, o.sources(), 0));
            }
            manyAnchors.put(lsMulti, lsManyAnchors);
            many.add(new LanspreadTool(lsMulti, receiver, List.copyOf(sources), MULTI, DATA, multi, quiet()));
            runScenario(o.sources() + " sources, " + links + ", " + o.multiMib() + " MiB", multi.size(), many,
                    manyAnchors, List.of());
            sources.forEach(s -> s.host().unshape());

            if (o.checkedMib() > 0) {
                checked();
            }
        } finally {
            keepLogs();
            FileTrees.delete(work);
        }
        return new Results(scenarios, samples, loadBefore, MachineInfo.loadAverage(), System.currentTimeMillis() - t0);
    }

    /** A game {@code id} with one file ({@code data.bin}, a hard link of {@code file}) in the games folder. */
    private static void addGame(Path games, String id, SourceFile file) throws IOException {
        Path dir = Files.createDirectories(games.resolve(id));
        file.linkAt(dir.resolve(DATA));
        Files.writeString(dir.resolve("version.ini"), "version=1\n");
    }

    /** Starts (or restarts) the source peers (h2...) and the receiver (h1, which reaches them with --peer). */
    private void startPeers(String javaOpts) throws IOException {
        Map<String, String> env = javaOpts.isBlank() ? Map.of() : Map.of("LANSPREAD_JAVA_OPTS", javaOpts);
        sources.clear();
        List<String> rxArgs = new ArrayList<>(List.of("--no-mdns"));
        for (int i = 0; i < o.sources(); i++) {
            LabHost host = lab.host(2 + i);
            sources.add(LabPeer.start(host, host.forward(LabPeer.HTTP_PORT), work.resolve(host.name()).resolve("peer"),
                    "source-" + host.name(), env, "--no-mdns"));
            rxArgs.addAll(List.of("--peer", host.address() + ":" + LabPeer.QUIC_PORT));
        }
        LabHost rx = lab.host(1);
        receiver = LabPeer.start(rx, rx.forward(LabPeer.HTTP_PORT), work.resolve(rx.name()).resolve("peer"),
                "receiver-h1", env, rxArgs.toArray(new String[0]));
        for (LabPeer p : peers()) {
            p.awaitReady(180);
        }
    }

    private void stopPeers() throws InterruptedException, IOException {
        for (LabPeer p : peers()) {
            p.keepLog(LabPeer.logDir(o.logOwner()).resolve("before-restart"));
            p.terminate();
        }
        for (LabPeer p : peers()) {
            p.awaitExit(60);
            // a fresh log for the next start: the ready watcher reads the log from its first line
            Files.move(p.log(), p.log().resolveSibling("peer-before-restart.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private List<LabPeer> peers() {
        List<LabPeer> all = new ArrayList<>(sources);
        all.add(receiver);
        return all;
    }

    private void startSyncthing() throws IOException {
        LabHost tx = lab.host(2);
        LabHost rx = lab.host(1);
        stSender = Syncthing.generate(tx, work.resolve(tx.name()).resolve("syncthing"));
        stReceiver = Syncthing.generate(rx, work.resolve(rx.name()).resolve("syncthing"));
        stSender.configure(work.resolve(tx.name()).resolve("st-folder"), "sendonly", stReceiver);
        stReceiver.configure(work.resolve(rx.name()).resolve("st-folder"), "receiveonly", stSender);
        stSender.start();
        stReceiver.start();
        stReceiver.awaitConnected(stSender, 60);
        stSender.awaitConnected(stReceiver, 60);
    }

    /** The long-lived processes that must be quiet before a timing. */
    private List<Long> quiet() {
        List<Long> pids = new ArrayList<>();
        peers().forEach(p -> pids.add(LanspreadTool.jvm(p)));
        nginx.forEach(n -> pids.add(n.pid()));
        if (stSender != null) {
            pids.add(stSender.pid());
            pids.add(stReceiver.pid());
        }
        if (iperfServer != null) {
            pids.add(iperfServer);
        }
        return pids;
    }

    /** One uncounted warm-up per tool, then {@code rounds} rounds; round r starts with tool (r-1) mod n. */
    private void runScenario(String title, long bytes, List<Tool> tools, Map<String, List<Anchor>> anchors,
            List<String> references) {
        scenarios.add(new Scenario(title, bytes, tools.stream().map(Tool::name).toList(), anchors, references));
        progress("== " + title);
        if (o.warmUp()) {
            for (Tool t : tools) {
                attempt(title, t, 0);
            }
        }
        for (int r = 1; r <= o.rounds(); r++) {
            for (int k = 0; k < tools.size(); k++) {
                attempt(title, tools.get((k + r - 1) % tools.size()), r);
            }
        }
    }

    private void attempt(String scenario, Tool tool, int round) {
        Sample s;
        try {
            s = tool.run(scenario, round);
        } catch (Exception | AssertionError e) {
            s = Sample.failed(scenario, tool.name(), round, 0, e.toString());
            e.printStackTrace(System.out);
            try {
                tool.reset();
            } catch (Exception | AssertionError again) {
                System.out.println("reset of " + tool.name() + " failed too: " + again);
            }
        }
        samples.add(s);
        progress((round == 0 ? "warm-up" : "round " + round) + ", " + tool.name() + ": " + LanReport.line(s));
    }

    /**
     * A progress line: printed (Failsafe keeps it in the test's output file, written at the end) and appended
     * to {@code target/benchmarks/<test class>-progress.log}, which can be followed while the run goes on.
     */
    private void progress(String line) {
        System.out.println(line);
        Path log = Path.of("target", "benchmarks", o.logOwner().getSimpleName() + "-progress.log");
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, java.time.LocalTime.now().withNano(0) + " " + line + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot write " + log + ": " + e);
        }
    }

    /**
     * The checked mode: a {@code checkedMib} game from one source and then from every source, unshaped, with
     * the peers restarted at {@code checkedJavaOpts}; byte-identical, peak RSS and heap reported, and the logs
     * searched for QUIC flow-control errors.
     */
    private void checked() throws Exception {
        stopPeers();
        SourceFile big = SourceFile.create(work.resolve("data").resolve(BIG + ".bin"), o.checkedMib(), 3);
        addGame(work.resolve(lab.host(2).name()).resolve("peer").resolve("games"), BIG, big);
        startPeers(o.checkedJavaOpts());
        String title = "checked: " + o.checkedMib() + " MiB, unshaped, LANSPREAD_JAVA_OPTS=\"" + o.checkedJavaOpts() + "\"";
        String one = "lanspread, 1 source";
        String all = "lanspread, " + o.sources() + " sources";
        scenarios.add(new Scenario(title, big.size(), List.of(one, all), Map.of(), List.of()));
        progress("== " + title);
        attempt(title, new LanspreadTool(one, receiver, List.of(sources.get(0)), BIG, DATA, big, quiet()), 1);
        for (int i = 1; i < o.sources(); i++) {
            addGame(work.resolve(lab.host(2 + i).name()).resolve("peer").resolve("games"), BIG, big);
        }
        attempt(title, new LanspreadTool(all, receiver, List.copyOf(sources), BIG, DATA, big, quiet()), 1);
        String flow = LanspreadTool.flowControlErrors(peers());
        if (!flow.isEmpty()) {
            samples.add(Sample.failed(title, all, 1, big.size(), flow));
        }
    }

    private void keepLogs() {
        Path dir = LabPeer.logDir(o.logOwner());
        for (LabPeer p : peers()) {
            if (p != null) {
                p.keepLog(dir);
            }
        }
        try {
            Files.createDirectories(dir);
            for (Syncthing st : new Syncthing[] {stSender, stReceiver}) {
                if (st != null) {
                    Files.writeString(dir.resolve("syncthing-" + st.host().name() + ".log"), st.log());
                }
            }
        } catch (IOException e) {
            System.out.println("cannot keep the Syncthing logs: " + e);
        }
    }
}
