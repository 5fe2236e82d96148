package io.lanspread.itests.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host of a {@link Lab}: a network namespace with {@code eth0} = 192.0.2.(10+i)/24 wired to the lab's
 * bridge through the switch port {@code p<i>}.
 */
public final class LabHost {

    /** The host's interface name, the same in every host (each lives in its own namespace). */
    public static final String IFACE = "eth0";

    private final Lab lab;
    private final int index;
    private final String namespace;

    LabHost(Lab lab, int index) {
        this.lab = lab;
        this.index = index;
        this.namespace = lab.id() + "-h" + index;
    }

    /** Which way {@link #shape(int, Direction)} limits. */
    public enum Direction {
        /** What the host sends: tbf on its eth0. */
        UPLOAD,
        /** What the host receives: tbf on its bridge port, whose egress is the host's ingress. */
        DOWNLOAD,
        BOTH
    }

    /** 1-based. */
    public int index() {
        return index;
    }

    /** "h1", "h2", ... */
    public String name() {
        return "h" + index;
    }

    public String namespace() {
        return namespace;
    }

    /** 192.0.2.(10+i). */
    public String address() {
        return "192.0.2." + (10 + index);
    }

    /** The veth end on the bridge, inside the switch namespace. */
    public String switchPort() {
        return "p" + index;
    }

    public Lab lab() {
        return lab;
    }

    /** Runs {@code cmd} inside this host ({@code ip netns exec}) with the lab's default timeout. */
    public ExecResult exec(String... cmd) {
        return exec(lab.execTimeout(), cmd);
    }

    /** Runs {@code cmd} inside this host; a command still running at {@code timeout} is killed. */
    public ExecResult exec(Duration timeout, String... cmd) {
        return Tools.run(inNamespace(List.of(cmd)), timeout);
    }

    /**
     * Starts {@code cmd} inside this host in {@code workDir}, stdout and stderr appended to {@code log}.
     * The lab tracks the process and kills it on close. Standard input stays a pipe the caller may use.
     */
    public Process start(List<String> cmd, Path workDir, Path log) throws IOException {
        if (lab.isClosed()) {
            throw new IllegalStateException("lab " + lab.id() + " is closed");
        }
        Files.createDirectories(workDir);
        if (log.getParent() != null) {
            Files.createDirectories(log.getParent());
        }
        Process p = new ProcessBuilder(inNamespace(cmd)).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        lab.track(p);
        return p;
    }

    /** Starts {@code main} of the test class path in a fresh JVM inside this host (see {@link Lab#javaCommand}). */
    public Process startJava(Class<?> main, Path workDir, Path log, String... args) throws IOException {
        return start(lab.javaCommand(main, args), workDir, log);
    }

    private List<String> inNamespace(List<String> cmd) {
        List<String> full = new ArrayList<>(List.of(lab.ipBinary(), "netns", "exec", namespace));
        full.addAll(cmd);
        return full;
    }

    /** Limits both directions of this host's link to {@code rateMbit} (tbf; see {@link #shape(int, Direction)}). */
    public void shape(int rateMbit) {
        shape(rateMbit, Direction.BOTH);
    }

    /**
     * Limits this host's link with a token bucket: {@code tc qdisc replace dev eth0 root tbf rate <r>mbit
     * burst <b> latency 50ms} for UPLOAD, the same on the switch port for DOWNLOAD. The burst is 10 ms of
     * traffic, at least 64 KiB (a smaller bucket starves TSO-sized packets and undershoots the rate).
     * Replaces an earlier shaping of the same direction. tbf only: no delay or loss (netem is absent).
     */
    public void shape(int rateMbit, Direction direction) {
        if (rateMbit <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rateMbit);
        }
        long burst = Math.max(64 * 1024, rateMbit * 1_000_000L / 8 / 100);
        String[] tbf = {"root", "tbf", "rate", rateMbit + "mbit", "burst", String.valueOf(burst), "latency", "50ms"};
        if (direction != Direction.DOWNLOAD) {
            qdisc(namespace, IFACE, tbf);
        }
        if (direction != Direction.UPLOAD) {
            qdisc(lab.switchNamespace(), switchPort(), tbf);
        }
    }

    private void qdisc(String ns, String dev, String[] spec) {
        List<String> args = new ArrayList<>(List.of("qdisc", "replace", "dev", dev));
        args.addAll(List.of(spec));
        lab.tcIn(ns, args.toArray(new String[0])).orThrow();
    }

    /** Removes any shaping of this host, both directions. */
    public void unshape() {
        // "no such qdisc" when nothing was shaped is fine
        lab.tcIn(namespace, "qdisc", "del", "dev", IFACE, "root");
        lab.tcIn(lab.switchNamespace(), "qdisc", "del", "dev", switchPort(), "root");
    }

    /** The root qdiscs of eth0 and the switch port, as {@code tc qdisc show} prints them. */
    public String qdiscs() {
        return lab.tcIn(namespace, "qdisc", "show", "dev", IFACE).output().strip() + " | "
                + lab.tcIn(lab.switchNamespace(), "qdisc", "show", "dev", switchPort()).output().strip();
    }

    /**
     * Pulls the cable: the switch port goes down, so this host's eth0 loses carrier (NO-CARRIER) while
     * keeping its address and routes, exactly like an unplugged machine. Nothing reaches it or leaves it.
     */
    public void linkDown() {
        lab.ipIn(lab.switchNamespace(), "link", "set", switchPort(), "down");
    }

    /** Plugs the cable back in. */
    public void linkUp() {
        lab.ipIn(lab.switchNamespace(), "link", "set", switchPort(), "up");
    }

    /** Whether eth0 has carrier (the cable is in). */
    public boolean hasCarrier() {
        String show = lab.ipIn(namespace, "link", "show", IFACE).output();
        return show.contains("LOWER_UP") && !show.contains("NO-CARRIER");
    }

    /** Whether one ICMP echo from this host to {@code address} is answered within a second. */
    public boolean canReach(String address) {
        return reach(address).get(address);
    }

    /**
     * One ICMP echo (1 s timeout) from this host to each address: {@code ping -c1 -W1} when ping is
     * installed, else one JVM running {@link ReachProbe} (InetAddress.isReachable, ICMP as root).
     */
    public Map<String, Boolean> reach(String... addresses) {
        Map<String, Boolean> result = new LinkedHashMap<>();
        Optional<Path> ping = Tools.find("ping");
        if (ping.isPresent()) {
            for (String a : addresses) {
                result.put(a, exec(Duration.ofSeconds(5), ping.get().toString(), "-c1", "-W1", "-n", a).ok());
            }
            return result;
        }
        ExecResult r = Tools.run(inNamespace(lab.javaCommand(ReachProbe.class, prepend("1000", addresses))),
                Duration.ofSeconds(20));
        for (String a : addresses) {
            result.put(a, r.output().lines().anyMatch(l -> l.equals("reachable " + a)));
        }
        return result;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /**
     * Makes {@code 127.0.0.1:<port>} of this host (say a peer's HTTP API, which listens on the host's
     * own loopback) reachable from the test JVM: returns a port on the test's 127.0.0.1 whose connections
     * are relayed through a Unix socket in {@link Lab#workDir()} to a relay JVM inside the host. No
     * address or route is added to the root namespace. Closed with the lab.
     */
    public int forward(int port) throws IOException {
        Path sock = lab.workDir().resolve(name() + "-" + port + ".sock");
        Path log = lab.workDir().resolve(name() + "-" + port + "-relay.log");
        Files.deleteIfExists(sock);
        Process relay = start(lab.javaCommand(UnixRelay.class, sock.toString(), String.valueOf(port)),
                new File(System.getProperty("java.io.tmpdir")).toPath(), log);
        Lab.awaitLogLine(relay, log, "^READY", Duration.ofSeconds(20));
        LoopbackForward fwd = new LoopbackForward(sock, name() + ":" + port);
        lab.track(fwd);
        return fwd.port();
    }

    @Override
    public String toString() {
        return name() + "(" + namespace + ", " + address() + ")";
    }
}
