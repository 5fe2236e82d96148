package io.lanspread.itests.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Proves the LAN lab: wiring, ping, multicast across hosts, tbf shaping, link down/up, forward, clean close. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabSelfTestIT {

    private static final Pattern READY_PORT = Pattern.compile("READY port=(\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("RECEIVED bytes=(\\d+) nanos=(\\d+) mbit=([0-9.]+)");

    @TempDir
    Path logs;

    private Lab lab;

    @BeforeAll
    void createLab() {
        Lab.assumeSupported();
        lab = Lab.create(3);
        System.out.printf("lab %s with 3 hosts set up in %d ms%n", lab.id(), lab.setupTime().toMillis());
    }

    @AfterAll
    void closeLab() {
        if (lab == null) {
            return;
        }
        List<String> namespaces = lab.namespaces();
        lab.close();
        System.out.printf("lab %s torn down in %d ms%n", lab.id(), lab.teardownTime().toMillis());
        assertThat(Lab.listNamespaces(Tools.require("ip"))).doesNotContainAnyElementsOf(namespaces);
    }

    @Test
    @Order(1)
    void hostsAreWiredAsDocumented() {
        assertThat(Lab.listNamespaces(Tools.require("ip"))).containsAll(lab.namespaces());
        assertThat(lab.namespaces()).hasSize(4).allMatch(ns -> ns.startsWith(Lab.PREFIX + ProcessHandle.current().pid() + "-"));
        for (LabHost h : lab.hosts()) {
            assertThat(h.address()).isEqualTo("192.0.2." + (10 + h.index()));
            String addr = h.exec("ip", "-4", "addr", "show", "dev", LabHost.IFACE).orThrow().output();
            assertThat(addr).contains("inet " + h.address() + "/24").contains("MULTICAST").contains("UP");
            assertThat(h.exec("ip", "link", "show", "lo").orThrow().output()).contains("UP");
            assertThat(h.exec("ip", "route", "show", "224.0.0.0/4").orThrow().output()).contains("dev eth0");
            assertThat(h.hasCarrier()).isTrue();
        }
    }

    @Test
    @Order(2)
    void everyHostPingsEveryOther() {
        for (LabHost from : lab.hosts()) {
            String[] others = lab.hosts().stream().filter(h -> h != from).map(LabHost::address).toArray(String[]::new);
            Map<String, Boolean> reach = from.reach(others);
            assertThat(reach).as("echo replies seen by " + from).hasSize(2).doesNotContainValue(false);
        }
    }

    @Test
    @Order(3)
    void anMdnsDatagramFromHost1ReachesHosts2And3() throws Exception {
        String token = "lab-" + UUID.randomUUID();
        List<Process> receivers = new ArrayList<>();
        List<Path> receiverLogs = new ArrayList<>();
        for (LabHost h : List.of(lab.host(2), lab.host(3))) {
            Path log = logs.resolve("mcast-" + h.name() + ".log");
            receiverLogs.add(log);
            receivers.add(h.startJava(MulticastProbe.class, logs, log, "receive", Lab.MDNS_GROUP,
                    String.valueOf(Lab.MDNS_PORT), LabHost.IFACE, token, "15000"));
        }
        for (int i = 0; i < receivers.size(); i++) {
            Lab.awaitLogLine(receivers.get(i), receiverLogs.get(i), "^READY", Duration.ofSeconds(15));
        }
        ExecResult sent = lab.host(1).exec(Duration.ofSeconds(20), lab.javaCommand(MulticastProbe.class, "send",
                Lab.MDNS_GROUP, String.valueOf(Lab.MDNS_PORT), LabHost.IFACE, token, "10", "100")
                .toArray(new String[0]));
        assertThat(sent.ok()).as(sent.toString()).isTrue();
        for (int i = 0; i < receivers.size(); i++) {
            String got = Lab.awaitLogLine(receivers.get(i), receiverLogs.get(i), "^GOT ", Duration.ofSeconds(15));
            assertThat(got).isEqualTo("GOT " + token + " from " + lab.host(1).address());
            assertThat(receivers.get(i).waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(receivers.get(i).exitValue()).isZero();
        }
    }

    @Test
    @Order(4)
    void tbfShapingHoldsA50MbitLinkWhileAnUnshapedOneRunsFarFaster() throws Exception {
        LabHost shaped = lab.host(1);
        shaped.shape(50);
        assertThat(shaped.qdiscs()).contains("tbf").contains("50Mbit");
        double upload = transfer(shaped, lab.host(2), 6L << 20, "up");
        double download = transfer(lab.host(3), shaped, 6L << 20, "down");
        shaped.unshape();
        assertThat(shaped.qdiscs()).doesNotContain("tbf");
        double free = transfer(lab.host(2), lab.host(3), 64L << 20, "free");
        System.out.printf("shaped 50 mbit: upload %.1f, download %.1f Mbit/s; unshaped %.1f Mbit/s%n", upload,
                download, free);
        assertThat(upload).isBetween(25.0, 60.0);
        assertThat(download).isBetween(25.0, 60.0);
        assertThat(free).isGreaterThan(500.0);
    }

    /** Moves {@code bytes} over TCP from one host to another; returns the receiver's Mbit/s. */
    private double transfer(LabHost from, LabHost to, long bytes, String tag) throws Exception {
        Path log = logs.resolve("tcp-" + tag + ".log");
        Process receiver = to.startJava(TcpProbe.class, logs, log, "serve", to.address(), "0");
        Matcher ready = READY_PORT.matcher(Lab.awaitLogLine(receiver, log, "^READY port=", Duration.ofSeconds(15)));
        assertThat(ready.find()).isTrue();
        ExecResult sent = from.exec(Duration.ofSeconds(30), lab.javaCommand(TcpProbe.class, "send", to.address(),
                ready.group(1), String.valueOf(bytes)).toArray(new String[0]));
        assertThat(sent.ok()).as(sent.toString()).isTrue();
        Matcher m = RECEIVED.matcher(Lab.awaitLogLine(receiver, log, "^RECEIVED ", Duration.ofSeconds(15)));
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(bytes);
        return Double.parseDouble(m.group(3));
    }

    @Test
    @Order(5)
    void aHostWhoseLinkIsDownVanishesAndComesBackWhenItIsUp() {
        LabHost gone = lab.host(3);
        LabHost watcher = lab.host(1);
        gone.linkDown();
        poll("h3 unreachable from h1 after link down", 10, () -> !watcher.canReach(gone.address()));
        assertThat(gone.hasCarrier()).isFalse();
        assertThat(watcher.canReach(lab.host(2).address())).as("h1 -> h2 unaffected").isTrue();

        gone.linkUp();
        poll("h3 carrier back", 10, gone::hasCarrier);
        poll("h3 reachable from h1 after link up", 10, () -> watcher.canReach(gone.address()));
        assertThat(gone.exec("ip", "route", "show", "224.0.0.0/4").orThrow().output()).contains("dev eth0");
    }

    @Test
    @Order(6)
    void aForwardReachesAServiceOnAHostsOwnLoopback() throws Exception {
        LabHost h = lab.host(2);
        Path log = logs.resolve("http-h2.log");
        Process server = h.startJava(HttpProbe.class, logs, log, "0", "hello from " + h.name());
        Matcher ready = READY_PORT.matcher(Lab.awaitLogLine(server, log, "^READY port=", Duration.ofSeconds(15)));
        assertThat(ready.find()).isTrue();
        int local = h.forward(Integer.parseInt(ready.group(1)));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/x"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from h2");
        }
    }

    @Test
    @Order(7)
    void staleLabsAreSweptAndLiveOnesKept() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        assertThat(dead.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String stale = Lab.PREFIX + dead.pid() + "-abcdef-h1";
        Tools.run(List.of(Tools.require("ip"), "netns", "add", stale), Duration.ofSeconds(10)).orThrow();
        Path staleScratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                Lab.PREFIX + dead.pid() + "-abcdef-42"));

        List<String> swept = Lab.sweepStale();

        assertThat(swept).contains(stale);
        assertThat(staleScratch).doesNotExist();
        assertThat(lab.workDir()).isDirectory();
        assertThat(Lab.listNamespaces(Tools.require("ip"))).doesNotContain(stale).containsAll(lab.namespaces());
    }

    @Test
    @Order(8)
    void closeKillsEveryProcessAndLeavesNoNamespace() throws Exception {
        Lab other = Lab.builder().hosts(2).killGrace(Duration.ofMillis(500)).create();
        List<String> namespaces = other.namespaces();
        Process polite = other.host(1).start(List.of("sleep", "300"), logs, logs.resolve("polite.log"));
        Process stubborn = other.host(2).start(List.of("sh", "-c", "trap '' TERM; exec sleep 300"), logs,
                logs.resolve("stubborn.log"));
        // a daemon the lab never saw start: found through ip netns pids
        other.host(2).exec("sh", "-c", "setsid sleep 300 >/dev/null 2>&1 < /dev/null &").orThrow();
        List<ProcessHandle> inside = pidsIn(other.host(2).namespace());
        assertThat(inside).hasSizeGreaterThanOrEqualTo(2);
        assertThat(polite.isAlive() && stubborn.isAlive()).isTrue();

        other.close();
        System.out.printf("lab %s (2 hosts, 3 processes, one ignoring SIGTERM) torn down in %d ms%n", other.id(),
                other.teardownTime().toMillis());

        assertThat(polite.isAlive()).isFalse();
        assertThat(stubborn.isAlive()).isFalse();
        assertThat(inside).as("nothing runs in the namespace any more (a zombie awaiting PID 1 is dead)").noneMatch(Lab::running);
        assertThat(other.leftovers()).isEmpty();
        assertThat(Lab.listNamespaces(Tools.require("ip"))).doesNotContainAnyElementsOf(namespaces);
        assertThat(other.workDir()).doesNotExist();
        other.close(); // idempotent
        assertThatThrownBy(() -> other.host(1).start(List.of("true"), logs, logs.resolve("late.log")))
                .isInstanceOf(IllegalStateException.class);
    }

    private static List<ProcessHandle> pidsIn(String ns) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (String pid : Tools.run(List.of(Tools.require("ip"), "netns", "pids", ns), Duration.ofSeconds(10))
                .orThrow().output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(handles::add);
            }
        }
        return handles;
    }

    private static void poll(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Lab.pause();
        }
    }
}
