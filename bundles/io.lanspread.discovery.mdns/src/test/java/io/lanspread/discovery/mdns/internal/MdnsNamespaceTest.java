package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real multicast between two JVMs, each in a network namespace this test creates (joined by a veth pair
 * in 192.0.2.0/24); nothing touches the host's interfaces. Needs root and iproute2, else it is skipped.
 */
class MdnsNamespaceTest {

    private static final Duration STEP = Duration.ofSeconds(10);
    /**
     * Session start to the other peer found when both start together. JmDNS alone takes about 4.2 s (it
     * probes a fresh instance at 1000 ms intervals); at RFC 6762 pace ({@link FastProbing}) about 1 s.
     */
    private static final long FOUND_WITHIN_MS = 2500;
    private static final Pattern APPEARED = Pattern.compile("mDNS service (.*) appeared on ");

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final String nsA = "lanspread-mdns-a-" + suffix;
    private final String nsB = "lanspread-mdns-b-" + suffix;
    private final String vethA = "lsm" + suffix + "a";
    private final String vethB = "lsm" + suffix + "b";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Child> children = new ArrayList<>();

    @BeforeEach
    void requireRootAndIp() throws Exception {
        assumeTrue("0".equals(output("id", "-u")), "skipped: creating network namespaces needs root");
        assumeTrue(output("ip", "-V") != null, "skipped: iproute2 'ip' is not installed");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Child child : children) {
            child.process.destroyForcibly();
            child.process.waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns); // takes its end of the veth pair with it
        }
        assertThat(output("ip", "netns", "list")).doesNotContain(suffix);
    }

    @Test
    @Timeout(60)
    void peersFindEachOtherSeeTxtUpdatesInterfaceChangesAndGoodbyes() throws Exception {
        buildLab();
        long t0 = System.nanoTime();
        Child advertiser = spawn(nsA, "peer-adv:1:1", "peer-old:99:1");
        Child browser = spawn(nsB, "peer-brw:1:5");

        browser.await(0, l -> l.equals("found peer-adv 192.0.2.1:" + PeerMain.QUIC_PORT + " 1"));
        long found = millisSince(t0);
        advertiser.await(0, l -> l.equals("found peer-brw 192.0.2.2:" + PeerMain.QUIC_PORT + " 5"));
        String browserFound = browser.await(0, l -> l.startsWith("elapsed peer-adv "));
        String advertiserFound = advertiser.await(0, l -> l.startsWith("elapsed peer-brw "));

        assertThat(elapsedMillis(browserFound)).as("browser found the advertiser within")
                .isLessThan(FOUND_WITHIN_MS);
        assertThat(elapsedMillis(advertiserFound)).as("advertiser found the browser within")
                .isLessThan(FOUND_WITHIN_MS);

        long t1 = System.nanoTime();
        advertiser.send("update 2"); // while JmDNS may still be announcing: must be held back, not lost
        advertiser.send("update 3");
        browser.await(0, l -> l.startsWith("found peer-adv ") && l.endsWith(" 3"));
        long updated = millisSince(t1);
        // the update is held back until JmDNS has announced, so its own announcements are behind us here
        assertThat(browser.lines).as("no lost before the interface goes").doesNotContain("lost peer-adv");
        assertThat(advertiser.lines).as("advertiser never lost the browser").doesNotContain("lost peer-brw");
        assertThat(browser.lines).as("one address and port only")
                .filteredOn(l -> l.startsWith("found peer-adv "))
                .allMatch(l -> l.startsWith("found peer-adv 192.0.2.1:" + PeerMain.QUIC_PORT + " "));

        long t2 = System.nanoTime();
        int mark = browser.lines.size();
        must("ip", "-n", nsB, "link", "set", vethB, "down");
        browser.await(mark, l -> l.equals("lost peer-adv"));
        long ifDown = millisSince(t2);

        long t3 = System.nanoTime();
        mark = browser.lines.size();
        must("ip", "-n", nsB, "link", "set", vethB, "up");
        run("ip", "-n", nsB, "route", "replace", "224.0.0.0/4", "dev", vethB);
        browser.await(mark, l -> l.startsWith("found peer-adv 192.0.2.1:") && l.endsWith(" 3"));
        long ifUp = millisSince(t3);

        long t4 = System.nanoTime();
        mark = browser.lines.size();
        advertiser.send("close");
        browser.await(mark, l -> l.equals("lost peer-adv"));
        long lost = millisSince(t4);
        String closed = advertiser.await(0, l -> l.startsWith("closed "));

        assertThat(browser.lines).as("other protocol version and self are ignored")
                .noneMatch(l -> l.contains("peer-old") || l.contains("peer-brw"));
        for (Child child : List.of(advertiser, browser)) {
            String log = Files.readString(child.log);
            assertThat(log).as("fast probing installed in " + child.name).doesNotContain("JmDNS's own pace");
            assertThat(appearedNames(log)).as("instances seen in " + child.name + " (none renamed by a conflict)")
                    .hasSizeGreaterThanOrEqualTo(3)
                    .allMatch(n -> n.matches("[a-z0-9-]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
        }
        System.out.printf("mDNS in namespaces: session start -> other peer found: browser %s ms, advertiser %s ms;"
                + " found after %d ms (incl. JVM start), TXT update seen after %d ms,"
                + " interface down -> lost %d ms, up -> found %d ms, goodbye -> lost %d ms,"
                + " advertiser close %s ms%n", browserFound.substring(browserFound.indexOf(' ') + 1),
                advertiserFound.substring(advertiserFound.indexOf(' ') + 1), found, updated, ifDown, ifUp, lost, closed);
    }

    private void buildLab() throws Exception {
        for (String ns : List.of(nsA, nsB)) {
            assumeTrue(run("ip", "netns", "add", ns) == 0, "skipped: cannot create network namespaces here");
            namespaces.add(ns);
        }
        must("ip", "-n", nsA, "link", "add", vethA, "type", "veth", "peer", "name", vethB, "netns", nsB);
        setUp(nsA, vethA, "192.0.2.1/24");
        setUp(nsB, vethB, "192.0.2.2/24");
    }

    private void setUp(String ns, String dev, String cidr) throws Exception {
        must("ip", "-n", ns, "link", "set", "lo", "up");
        must("ip", "-n", ns, "addr", "add", cidr, "dev", dev);
        must("ip", "-n", ns, "link", "set", dev, "multicast", "on");
        must("ip", "-n", ns, "link", "set", dev, "up");
        must("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", dev);
    }

    private Child spawn(String ns, String... peers) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.log.io.lanspread=debug", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                PeerMain.class.getName()));
        command.addAll(List.of(peers));
        Path log = Path.of("target", ns + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        Child child = new Child(ns, process, log);
        children.add(child);
        return child;
    }

    private static final class Child {
        final String name;
        final Process process;
        final Path log;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Writer stdin;

        Child(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null;) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "reader-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void send(String command) throws IOException {
            stdin.write(command + "\n");
            stdin.flush();
        }

        /** Waits for a line from index {@code from} on; returns what follows its first word. */
        String await(int from, Predicate<String> wanted) throws Exception {
            long deadline = System.nanoTime() + STEP.toNanos();
            while (System.nanoTime() < deadline) {
                List<String> now = List.copyOf(lines);
                for (String line : now.subList(Math.min(from, now.size()), now.size())) {
                    if (wanted.test(line)) {
                        return line.substring(line.indexOf(' ') + 1);
                    }
                }
                if (!process.isAlive() && now.size() == lines.size()) {
                    break;
                }
                Thread.sleep(20); // polling interval
            }
            throw new AssertionError(name + " did not print the expected line within " + STEP + "; stdout: "
                    + lines + "\nlog " + log + ":\n" + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Service instance names the session saw appear, as logged by {@link MdnsSession}. */
    private static List<String> appearedNames(String log) {
        List<String> names = new ArrayList<>();
        Matcher m = APPEARED.matcher(log);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code "<peerId> <ms>"} as returned for an {@code elapsed} line. */
    private static long elapsedMillis(String peerAndMillis) {
        return Long.parseLong(peerAndMillis.substring(peerAndMillis.indexOf(' ') + 1).trim());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void must(String... command) throws Exception {
        int rc = run(command);
        assertThat(rc).as(String.join(" ", command)).isZero();
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** The command's trimmed stdout, or {@code null} when it cannot run. */
    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
