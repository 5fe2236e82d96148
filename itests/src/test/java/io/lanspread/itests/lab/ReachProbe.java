package io.lanspread.itests.lab;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ReachProbe <timeoutMs> <address>...}: one ICMP echo to each address at once (as root,
 * InetAddress.isReachable sends ICMP), prints {@code reachable <a>} or {@code unreachable <a>} per
 * address; exit 0 when all answered. The fallback of {@link LabHost#reach} where ping is not installed.
 */
public final class ReachProbe {

    private ReachProbe() {
    }

    public static void main(String[] args) {
        int timeout = Integer.parseInt(args[0]);
        List<CompletableFuture<String>> checks = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String address = args[i];
            checks.add(CompletableFuture.supplyAsync(() -> {
                try {
                    boolean ok = InetAddress.getByName(address).isReachable(timeout);
                    return (ok ? "reachable " : "unreachable ") + address;
                } catch (Exception e) {
                    return "unreachable " + address;
                }
            }));
        }
        boolean all = true;
        for (CompletableFuture<String> check : checks) {
            String line = check.join();
            System.out.println(line);
            all &= line.startsWith("reachable ");
        }
        System.exit(all ? 0 : 1);
    }
}
