package io.lanspread.itests.abuse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client JVM the abuse tests start inside a lab host: it reaches the peer under test over the lab's
 * LAN only, spreads its connections over the local addresses it is given (never more than {@code
 * maxPerAddress} on one), and plays any mix of these roles at once:
 * <ul>
 * <li>{@code honest}: connections of {@link HonestLoad} (mixed requests, every answer checked);</li>
 * <li>{@code slow}: connections that each download one whole file, reading one batch per 100 ms through a
 * small receive window, and check it;</li>
 * <li>{@code never}: connections opening {@code neverStreams} streams each (as far as the peer's stream credit
 * allows, less one kept for pings), each asking for 32 chunks or a whole file, whose answers are never read;
 * a ping every {@code keepAliveSeconds} (10) keeps each connection from its idle timeout;</li>
 * <li>{@code halfsent}: connections opening {@code halfStreams} streams each that send half a request and no
 * FIN (reported once each ended, or {@code halfSentSeconds}, 20, after they were opened).</li>
 * </ul>
 * It prints one line per event for the test ({@code SERVED}, {@code CONNECTED}, {@code NEVER}, {@code HONEST},
 * {@code SLOW}, {@code STUCK}, {@code LEFT}), with JSON where there are numbers. Once its finite work is done it
 * holds its streams open until a line {@code leave} (or end of input) arrives on stdin, or {@code maxSeconds}
 * pass: then it closes every connection (application close) and exits. Arguments are {@code key=value}.
 */
public final class AbuseClientMain {

    private final Map<String, String> args;
    private final long started = System.nanoTime();

    private AbuseClientMain(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int code = new AbuseClientMain(args).run();
        System.out.flush();
        System.exit(code);
    }

    private String arg(String key, String fallback) {
        return args.getOrDefault(key, fallback);
    }

    private int intArg(String key, int fallback) {
        return Integer.parseInt(arg(key, String.valueOf(fallback)));
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private int run() throws Exception {
        String[] hostPort = arg("peer", "").split(":");
        InetSocketAddress peer = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        GameTruth truth = GameTruth.read(Path.of(arg("truth", "")));
        AnswerCheck check = new AnswerCheck(truth, arg("peerId", ""));
        List<String> binds = Arrays.asList(arg("bind", "0.0.0.0").split(","));
        int maxPerAddress = intArg("maxPerAddress", 16);
        int honest = intArg("honest", 0);
        int slow = intArg("slow", 0);
        int never = intArg("never", 0);
        int halfsent = intArg("halfsent", 0);
        int total = honest + slow + never + halfsent;
        if (total > binds.size() * maxPerAddress) {
            say("FAILED " + total + " connections do not fit on " + binds.size() + " addresses at " + maxPerAddress + " each");
            return 3;
        }
        long deadline = started + TimeUnit.SECONDS.toNanos(intArg("maxSeconds", 180));
        CompletableFuture<Void> leave = new CompletableFuture<>();
        watchStdin(leave);

        try (WireClient client = new WireClient(intArg("threads", 2))) {
            awaitServed(client, peer, check, binds.get(0), intArg("awaitServedSeconds", 120));
            int[] at = {0};
            List<WireConnection> honestConns = connect(client, peer, binds, at, honest, new WireClient.Windows(16 << 20, 4 << 20));
            List<WireConnection> slowConns = connect(client, peer, binds, at, slow, new WireClient.Windows(256 << 10, 64 << 10));
            List<WireConnection> neverConns = connect(client, peer, binds, at, never, new WireClient.Windows(1 << 20, 128 << 10),
                    1);
            List<WireConnection> halfConns = connect(client, peer, binds, at, halfsent, new WireClient.Windows(1 << 20, 256 << 10));
            List<WireConnection> all = new ArrayList<>();
            List.of(honestConns, slowConns, neverConns, halfConns).forEach(all::addAll);
            Map<String, Integer> perAddress = new LinkedHashMap<>();
            all.forEach(c -> perAddress.merge(c.local().getAddress().getHostAddress(), 1, Integer::sum));
            say("CONNECTED " + WireFrames.JSON.valueToTree(perAddress));

            NeverReaders neverReaders = new NeverReaders(truth, arg("neverGame", ""), intArg("neverStreams", 128),
                    intArg("keepAliveSeconds", 10));
            neverReaders.start(neverConns);
            StuckWriters stuck = new StuckWriters(intArg("halfStreams", 8));
            stuck.start(halfConns);
            if (never > 0) {
                say("NEVER " + neverReaders.awaitOpened(deadline));
            }

            long t0 = System.nanoTime();
            HonestLoad load = new HonestLoad(truth, check, Arrays.asList(arg("honestGames", "").split(",")),
                    intArg("requests", 200), intArg("inFlight", 4));
            CompletableFuture<Void> honestDone = load.run(honestConns, Long.parseLong(arg("seed", "1")));
            Thread progress = new Thread(() -> {
                while (!honestDone.isDone()) {
                    say("PROGRESS " + load.summary(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).without("failures"));
                    try {
                        honestDone.get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // next report
                    }
                }
            }, "progress");
            progress.setDaemon(true);
            progress.start();
            CompletableFuture<ObjectNode> slowDone = SlowReaders.run(slowConns, check, arg("slowGame", ""),
                    arg("slowPath", ""));
            waitFor(honestDone, deadline);
            if (honest > 0) {
                say("HONEST " + load.summary(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
            }
            if (slow > 0) {
                waitFor(slowDone, deadline);
                say("SLOW " + (slowDone.isDone() ? slowDone.join() : "{\"unfinished\":true}"));
            }
            if (never > 0 || halfsent > 0) {
                waitFor(leave, deadline);
                stuck.awaitEnded(intArg("halfSentSeconds", 20));
                say("STUCK " + neverReaders.endedEarly().set("halfSent", stuck.summary()));
            }
            neverReaders.stop();
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            all.forEach(c -> closing.add(c.close()));
            waitFor(CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)), System.nanoTime()
                    + TimeUnit.SECONDS.toNanos(5));
            boolean timedOut = System.nanoTime() > deadline;
            say("LEFT" + (timedOut ? " after maxSeconds" : ""));
            return timedOut ? 2 : 0;
        }
    }

    /**
     * Waits (polling listGames) until the peer lists exactly the games of the truth (or at least them, with
     * {@code servedExactly=false}): it hashes them first.
     */
    private void awaitServed(WireClient client, InetSocketAddress peer, AnswerCheck check, String bind, int seconds)
            throws Exception {
        boolean exact = Boolean.parseBoolean(arg("servedExactly", "true"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "no answer";
        while (System.nanoTime() < until) {
            try {
                WireConnection c = client.connect(new InetSocketAddress(bind, 0), peer, new WireClient.Windows(1 << 20, 1 << 20))
                        .get(20, TimeUnit.SECONDS);
                try {
                    while (System.nanoTime() < until && c.isActive()) {
                        WireResponse games = c.request(WireFrames.request("listGames"), WireConnection.Reading.NORMAL)
                                .get(20, TimeUnit.SECONDS);
                        last = exact ? check.listGames(games) : check.listsAtLeast(games);
                        if (last == null) {
                            say("SERVED after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                            return;
                        }
                        Thread.sleep(200); // a poll interval: the peer is still hashing
                    }
                } finally {
                    c.close().get(5, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                last = e.toString();
                Thread.sleep(200); // a poll interval before the next attempt
            }
        }
        throw new IllegalStateException("the peer did not serve the expected games within " + seconds + " s: " + last);
    }

    private static List<WireConnection> connect(WireClient client, InetSocketAddress peer, List<String> binds, int[] at,
            int count, WireClient.Windows windows) throws Exception {
        return connect(client, peer, binds, at, count, windows, 0);
    }

    private static List<WireConnection> connect(WireClient client, InetSocketAddress peer, List<String> binds, int[] at,
            int count, WireClient.Windows windows, int reserve) throws Exception {
        List<CompletableFuture<WireConnection>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String bind = binds.get(at[0]++ % binds.size());
            pending.add(client.connect(new InetSocketAddress(bind, 0), peer, windows, reserve));
        }
        List<WireConnection> connections = new ArrayList<>();
        for (CompletableFuture<WireConnection> p : pending) {
            connections.add(p.get(60, TimeUnit.SECONDS));
        }
        return connections;
    }

    private static void waitFor(CompletableFuture<?> f, long deadlineNanos) throws InterruptedException {
        try {
            f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // reported by the caller from what finished
        }
    }

    private static void watchStdin(CompletableFuture<Void> leave) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.strip().equals("leave")) {
                        break;
                    }
                }
            } catch (Exception e) {
                // end of input is a leave too
            }
            leave.complete(null);
        }, "stdin");
        t.setDaemon(true);
        t.start();
    }
}
