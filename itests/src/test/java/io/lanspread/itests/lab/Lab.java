package io.lanspread.itests.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.lanspread.itests.support.Privileges;


/**
 * A LAN in a box: a "switch" network namespace holding a Linux bridge, and {@code n} host namespaces,
 * each wired to the bridge by a veth pair ({@code eth0} in the host, {@code p<i>} on the bridge), with
 * the address 192.0.2.(10+i)/24 (the documentation range), loopback up, multicast on and a route for
 * 224.0.0.0/4 via eth0 so mDNS crosses hosts. Nothing is configured in the root namespace except the
 * namespaces' names under /run/netns. The lab tracks every process it starts and {@link #close()} kills
 * them, deletes the namespaces and checks that none is left.
 *
 * <pre>
 * try (Lab lab = Lab.create(3)) {
 *     lab.host(1).exec("ping", "-c1", lab.host(2).address());
 * }
 * </pre>
 */
public final class Lab implements AutoCloseable {

    /** Every namespace of every lab starts with this; the stale-lab sweeper looks for nothing else. */
    public static final String PREFIX = "lslab-";
    public static final String MDNS_GROUP = "224.0.0.251";
    public static final int MDNS_PORT = 5353;
    public static final int MAX_HOSTS = 200;

    private static final Pattern NAME = Pattern.compile("^" + PREFIX + "(\\d+)-([0-9a-f]+)-(sw|h\\d+)$");
    private static final Pattern SCRATCH = Pattern.compile("^" + PREFIX + "(\\d+)-([0-9a-f]+)-\\d+$");
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 20;

    private final String id;
    private final String ip;
    private final String tc;
    private final Duration killGrace;
    private final Duration execTimeout;
    private final Path workDir;
    private final String switchNs;
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final List<LabHost> hosts = new ArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private volatile String childClasspath;
    private Duration setupTime = Duration.ZERO;
    private Duration teardownTime = Duration.ZERO;
    private boolean closed;

    private Lab(Builder b) throws IOException {
        this.ip = Tools.require("ip");
        this.tc = Tools.require("tc");
        this.killGrace = b.killGrace;
        this.execTimeout = b.execTimeout;
        byte[] rnd = new byte[3];
        new SecureRandom().nextBytes(rnd);
        StringBuilder hex = new StringBuilder();
        for (byte x : rnd) {
            hex.append(String.format("%02x", x));
        }
        this.id = PREFIX + ProcessHandle.current().pid() + "-" + hex;
        this.switchNs = id + "-sw";
        this.workDir = Files.createTempDirectory(id + "-");
        this.shutdownHook = new Thread(this::closeQuietly, id + "-shutdown");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A lab of {@code hosts} hosts with default settings (stale labs swept first). */
    public static Lab create(int hosts) {
        return builder().hosts(hosts).create();
    }

    /** Why a lab cannot run here (not root, {@code ip} or {@code tc} missing), or empty when it can. */
    public static Optional<String> unsupportedReason() {
        if (!Tools.isRoot()) {
            return Optional.of("the LAN lab needs root (network namespaces, veth, bridge, tc)");
        }
        for (String tool : List.of("ip", "tc")) {
            if (Tools.find(tool).isEmpty()) {
                return Optional.of("the LAN lab needs '" + tool + "' (iproute2) on PATH or in /usr/sbin");
            }
        }
        ExecResult list = Tools.run(List.of(Tools.require("ip"), "netns", "list"), IP_TIMEOUT);
        if (!list.ok()) {
            return Optional.of("'ip netns list' fails here: " + list);
        }
        return Optional.empty();
    }

    /**
     * Skips the calling test (JUnit assumption) when a lab cannot run here, saying why; under {@code CI=true}
     * fails it instead (CI runs as root: a skip there would hide a broken setup).
     */
    public static void assumeSupported() {
        Optional<String> reason = unsupportedReason();
        Privileges.require(reason.isEmpty(), "LAN lab unavailable: " + reason.orElse(""));
    }

    /**
     * Deletes namespaces left by labs whose JVM is gone (the pid in the name is dead, or was reused by
     * a process younger than the namespace), killing whatever still runs in them. Labs of live JVMs,
     * including parallel ones, are left alone. Their scratch folders go too. Returns the names deleted.
     */
    public static List<String> sweepStale() {
        String ip = Tools.require("ip");
        List<String> deleted = new ArrayList<>();
        for (String ns : listNamespaces(ip)) {
            Matcher m = NAME.matcher(ns);
            if (!m.matches()) {
                continue;
            }
            long pid = Long.parseLong(m.group(1));
            if (ownerAlive(pid, Paths.get("/run/netns", ns))) {
                continue;
            }
            killNamespacePids(ip, ns);
            if (Tools.run(List.of(ip, "netns", "delete", ns), IP_TIMEOUT).ok()) {
                deleted.add(ns);
            }
        }
        sweepScratchFolders();
        return deleted;
    }

    /** Scratch folders ({@link #workDir()}) of labs whose JVM is gone. */
    private static void sweepScratchFolders() {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> list = Files.list(tmp)) {
            list.filter(Files::isDirectory).forEach(dir -> {
                Matcher m = SCRATCH.matcher(dir.getFileName().toString());
                if (m.matches() && !ownerAlive(Long.parseLong(m.group(1)), dir)) {
                    deleteTree(dir);
                }
            });
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    private static boolean ownerAlive(long pid, Path madeByOwner) {
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = owner.get().info().startInstant();
        try {
            FileTime created = Files.getLastModifiedTime(madeByOwner);
            // a pid reused by a process that started after the namespace was made is not its owner
            return started.isEmpty() || !started.get().isAfter(created.toInstant().plusSeconds(2));
        } catch (IOException e) {
            return true;
        }
    }

    private void build(int n) {
        long t0 = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            addNamespace(switchNs);
            ipIn(switchNs, "link", "set", "lo", "up");
            ipIn(switchNs, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0",
                    "mcast_snooping", "0");
            for (int i = 1; i <= n; i++) {
                LabHost host = new LabHost(this, i);
                addNamespace(host.namespace());
                ipIn(host.namespace(), "link", "set", "lo", "up");
                // created inside the switch namespace with its peer placed straight into the host's:
                // the root namespace never holds either end
                ipIn(switchNs, "link", "add", host.switchPort(), "type", "veth", "peer", "name", LabHost.IFACE,
                        "netns", host.namespace());
                ipIn(switchNs, "link", "set", host.switchPort(), "master", "br0", "multicast", "on", "up");
                ipIn(host.namespace(), "addr", "add", host.address() + "/24", "dev", LabHost.IFACE);
                ipIn(host.namespace(), "link", "set", LabHost.IFACE, "multicast", "on", "up");
                ipIn(host.namespace(), "route", "add", "224.0.0.0/4", "dev", LabHost.IFACE);
                hosts.add(host);
            }
            ipIn(switchNs, "link", "set", "br0", "multicast", "on", "up");
            setupTime = Duration.ofNanos(System.nanoTime() - t0);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private void addNamespace(String ns) {
        Tools.run(List.of(ip, "netns", "add", ns), IP_TIMEOUT).orThrow();
        namespaces.add(ns);
    }

    /** {@code ip -n <ns> args...}, which must succeed. */
    ExecResult ipIn(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ip, "-n", ns));
        cmd.addAll(List.of(args));
        return Tools.run(cmd, IP_TIMEOUT).orThrow();
    }

    /** {@code tc -n <ns> args...}; the caller decides whether failure matters. */
    ExecResult tcIn(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tc, "-n", ns));
        cmd.addAll(List.of(args));
        return Tools.run(cmd, IP_TIMEOUT);
    }

    String ipBinary() {
        return ip;
    }

    void track(Process p) {
        processes.add(p);
    }

    void track(AutoCloseable c) {
        closeables.add(c);
    }

    Duration execTimeout() {
        return execTimeout;
    }

    /** The lab's id, also the prefix of its namespaces ({@code lslab-<pid>-<random>}). */
    public String id() {
        return id;
    }

    /** The hosts, in order: {@code hosts().get(0)} is {@code host(1)}. */
    public List<LabHost> hosts() {
        return List.copyOf(hosts);
    }

    /** Host {@code i}, counted from 1 (address 192.0.2.(10+i)). */
    public LabHost host(int i) {
        if (i < 1 || i > hosts.size()) {
            throw new IllegalArgumentException("no host " + i + " in a lab of " + hosts.size());
        }
        return hosts.get(i - 1);
    }

    public String switchNamespace() {
        return switchNs;
    }

    /** Every namespace of this lab (switch first). */
    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Every process started through this lab, running or not. */
    public List<Process> processes() {
        return List.copyOf(processes);
    }

    /** A scratch folder of this lab (deleted on close); sockets of {@link LabHost#forward} live here. */
    public Path workDir() {
        return workDir;
    }

    public Duration setupTime() {
        return setupTime;
    }

    public synchronized Duration teardownTime() {
        return teardownTime;
    }

    /**
     * The command that runs {@code main} (a class of this test class path, e.g. a probe of this package)
     * in a fresh JVM: this JVM's java, a small heap, the class path this JVM runs with.
     */
    public List<String> javaCommand(Class<?> main, String... args) {
        if (childClasspath == null) {
            childClasspath = ChildClasspath.get();
        }
        List<String> cmd = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx128m", "-Xshare:auto", "-cp", childClasspath, main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Names of this lab's namespaces that {@code ip netns list} still shows. */
    public List<String> leftovers() {
        return listNamespaces(ip).stream().filter(ns -> ns.startsWith(id + "-")).collect(Collectors.toList());
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Kills every process the lab started (SIGTERM, SIGKILL after the grace period) and anything else
     * running in its namespaces, deletes the namespaces (which removes the veths and the bridge) and
     * checks that none is left. Idempotent; also runs from a shutdown hook if a test forgot it.
     *
     * @throws IllegalStateException if a namespace of the lab survives
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        long t0 = System.nanoTime();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the namespaces go anyway
            }
        }
        stopProcesses();
        List<String> reverse = new ArrayList<>(namespaces);
        java.util.Collections.reverse(reverse);
        for (int round = 0; round < 2; round++) {
            for (String ns : reverse) {
                killNamespacePids(ip, ns);
                if (Files.exists(Paths.get("/run/netns", ns))) {
                    Tools.run(List.of(ip, "netns", "delete", ns), IP_TIMEOUT);
                }
            }
            if (leftovers().isEmpty()) {
                break;
            }
        }
        List<String> left = leftovers();
        deleteTree(workDir);
        teardownTime = Duration.ofNanos(System.nanoTime() - t0);
        if (!left.isEmpty()) {
            throw new IllegalStateException("lab " + id + " left namespaces behind: " + left);
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // we are the hook, or the JVM is exiting anyway
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("lab " + id + ": " + e.getMessage());
        }
    }

    private void stopProcesses() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            if (p.isAlive()) {
                all.addAll(p.descendants().collect(Collectors.toList()));
                all.add(p.toHandle());
            }
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + killGrace.toNanos();
        while (all.stream().anyMatch(Lab::running) && System.nanoTime() < deadline) {
            pause();
        }
        for (ProcessHandle h : all) {
            if (running(h)) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }
        }
        long reap = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (all.stream().anyMatch(Lab::running) && System.nanoTime() < reap) {
            pause();
        }
    }

    /** SIGKILLs whatever still runs inside {@code ns}: nothing there belongs to anyone but the lab. */
    private static void killNamespacePids(String ip, String ns) {
        ExecResult pids = Tools.run(List.of(ip, "netns", "pids", ns), IP_TIMEOUT);
        if (!pids.ok()) {
            return;
        }
        List<ProcessHandle> victims = new ArrayList<>();
        for (String line : pids.output().split("\\s+")) {
            if (line.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(line)).ifPresent(victims::add);
            }
        }
        victims.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (victims.stream().anyMatch(Lab::running) && System.nanoTime() < deadline) {
            pause();
        }
    }

    /**
     * Alive and not a zombie: a killed daemon that was reparented to PID 1 stays a zombie until PID 1
     * reaps it (up to seconds on some inits), but it is gone from its namespace already.
     */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Paths.get("/proc", String.valueOf(h.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> listNamespaces(String ip) {
        ExecResult r = Tools.run(List.of(ip, "netns", "list"), IP_TIMEOUT).orThrow();
        List<String> names = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Waits until a line of {@code log} matches {@code regex} and returns it; fails early, with the log,
     * if {@code process} ends first or the deadline passes.
     */
    public static String awaitLogLine(Process process, Path log, String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = process != null && !process.isAlive();
            for (String line : readLines(log)) {
                if (p.matcher(line).find()) {
                    return line;
                }
            }
            if (exited) {
                throw new AssertionError("process ended (exit " + process.exitValue() + ") before a line matched '"
                        + regex + "'; " + log + ":\n" + String.join("\n", readLines(log)));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line matched '" + regex + "' within " + timeout.toMillis() + " ms; "
                        + log + ":\n" + String.join("\n", readLines(log)));
            }
            pause();
        }
    }

    static List<String> readLines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    static void pause() {
        try {
            // a poll interval inside a deadline loop, not a wait for state
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // scratch files under /tmp
        }
    }

    /** Options of a lab. */
    public static final class Builder {
        private int hosts = 2;
        private Duration killGrace = Duration.ofSeconds(3);
        private Duration execTimeout = Duration.ofSeconds(30);
        private boolean sweep = true;

        public Builder hosts(int n) {
            if (n < 1 || n > MAX_HOSTS) {
                throw new IllegalArgumentException("hosts must be 1.." + MAX_HOSTS + ": " + n);
            }
            this.hosts = n;
            return this;
        }

        /** How long close() waits after SIGTERM before SIGKILL (default 3 s). */
        public Builder killGrace(Duration grace) {
            this.killGrace = grace;
            return this;
        }

        /** Default timeout of {@link LabHost#exec(String...)} (default 30 s). */
        public Builder execTimeout(Duration timeout) {
            this.execTimeout = timeout;
            return this;
        }

        /** Whether to run {@link Lab#sweepStale()} first (default true). */
        public Builder sweepStale(boolean sweep) {
            this.sweep = sweep;
            return this;
        }

        public Lab create() {
            if (sweep) {
                Lab.sweepStale();
            }
            Lab lab;
            try {
                lab = new Lab(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the lab's scratch folder", e);
            }
            lab.build(hosts);
            return lab;
        }
    }
}
