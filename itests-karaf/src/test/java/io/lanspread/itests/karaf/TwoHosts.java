package io.lanspread.itests.karaf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Two hosts as network namespaces joined by a veth pair, each with eth0 at 192.0.2.1 or .2/24 (the
 * documentation range), loopback up, multicast on and a route for 224.0.0.0/4, so that mDNS crosses from
 * one to the other and nowhere else. Needs root: skipped without, but failing under {@code CI=true}.
 */
final class TwoHosts implements AutoCloseable {

    private static final java.util.regex.Pattern STALE = java.util.regex.Pattern.compile("lsk(\\d+)[ab]");

    final String a;
    final String b;

    private TwoHosts(String a, String b) {
        this.a = a;
        this.b = b;
    }

    static TwoHosts create() throws IOException, InterruptedException {
        requireRoot();
        deleteStale();
        String base = "lsk" + ProcessHandle.current().pid();
        TwoHosts hosts = new TwoHosts(base + "a", base + "b");
        try {
            for (String ns : List.of(hosts.a, hosts.b)) {
                Karaf.exec(List.of("ip", "netns", "add", ns));
            }
            Karaf.exec(hosts.in(hosts.a, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", hosts.b));
            int n = 1;
            for (String ns : List.of(hosts.a, hosts.b)) {
                Karaf.exec(hosts.in(ns, "ip", "link", "set", "lo", "up"));
                Karaf.exec(hosts.in(ns, "ip", "addr", "add", "192.0.2." + n++ + "/24", "dev", "eth0"));
                Karaf.exec(hosts.in(ns, "ip", "link", "set", "eth0", "multicast", "on", "up"));
                Karaf.exec(hosts.in(ns, "ip", "route", "add", "224.0.0.0/4", "dev", "eth0"));
            }
        } catch (IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
        return hosts;
    }

    /** Deletes the namespaces of earlier runs whose JVM is gone (killed before it could clean up). */
    private static void deleteStale() throws IOException, InterruptedException {
        for (String line : Karaf.exec(List.of("ip", "netns", "list")).split("\\R")) {
            java.util.regex.Matcher m = STALE.matcher(line.strip());
            if (m.lookingAt() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                Karaf.exec(List.of("ip", "netns", "delete", m.group()));
            }
        }
    }

    /** {@code command} run in namespace {@code ns}. */
    List<String> in(String ns, String... command) {
        List<String> cmd = new ArrayList<>(prefix(ns));
        cmd.addAll(List.of(command));
        return cmd;
    }

    static List<String> prefix(String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    private static void requireRoot() throws IOException, InterruptedException {
        if (Karaf.exec(List.of("id", "-u")).trim().equals("0")) {
            return;
        }
        String why = "network namespaces need root";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why + " (CI=true: a test that cannot run here fails instead of being skipped)");
        }
        Assumptions.assumeTrue(false, why);
    }

    /** Kills what still runs in the namespaces, then deletes them. */
    @Override
    public void close() throws InterruptedException {
        for (String ns : List.of(a, b)) {
            try {
                for (String pid : Karaf.exec(List.of("ip", "netns", "pids", ns)).split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                Karaf.exec(List.of("ip", "netns", "delete", ns));
            } catch (IOException e) {
                // not created, or already gone
            }
        }
    }
}
