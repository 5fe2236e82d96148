package io.lanspread.discovery.mdns.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.DiscoveryListener;
import io.lanspread.api.discovery.LocalPeer;

/**
 * A child process for {@link MdnsNamespaceTest}: runs one session per argument {@code peerId:protoVer:rev}
 * on every multicast interface of its network namespace, prints what the first session finds and obeys
 * {@code update <rev>}, {@code threads} and {@code close} on stdin. The first time it finds a peer it also
 * prints {@code elapsed <peerId> <ms>}, counted from the first session's start.
 */
public final class PeerMain {

    static final int QUIC_PORT = 42420;

    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        MdnsSettings settings = new MdnsSettings(List.of(), Duration.ofSeconds(2), Duration.ofSeconds(1));
        List<MdnsSession> sessions = new ArrayList<>();
        List<LocalPeer> peers = new ArrayList<>();
        for (String arg : args) {
            String[] p = arg.split(":");
            LocalPeer peer = new LocalPeer(p[0], p[0] + " display", QUIC_PORT, "ab".repeat(32),
                    Long.parseLong(p[2]), Integer.parseInt(p[1]));
            MdnsSession session = new MdnsSession(peer, sessions.isEmpty() ? new Printer(System.nanoTime()) : new Silent(),
                    () -> settings, InterfaceSelector::snapshot, s -> { });
            session.start();
            sessions.add(session);
            peers.add(peer);
        }
        say("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null;) {
            if (line.startsWith("update ")) {
                LocalPeer p = peers.get(0);
                sessions.get(0).update(new LocalPeer(p.peerId(), p.name(), p.quicPort(), p.certificateFingerprint(),
                        Long.parseLong(line.substring(7).trim()), p.protocolVersion()));
                say("updated");
            } else if (line.equals("threads")) {
                say("threads " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(n -> n.startsWith("JmDNS") || n.endsWith(".recover()")).sorted().toList());
            } else if (line.equals("close")) {
                break;
            }
        }
        long start = System.nanoTime();
        sessions.parallelStream().forEach(MdnsSession::close);
        say("closed " + (System.nanoTime() - start) / 1_000_000);
        System.exit(0);
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static final class Printer implements DiscoveryListener {
        private final long started;
        private final Set<String> known = ConcurrentHashMap.newKeySet();

        Printer(long started) {
            this.started = started;
        }

        @Override
        public void found(DiscoveredPeer peer) {
            if (known.add(peer.peerId())) {
                say("elapsed " + peer.peerId() + " " + (System.nanoTime() - started) / 1_000_000);
            }
            say("found " + peer.peerId() + " " + peer.address().getAddress().getHostAddress() + ":"
                    + peer.address().getPort() + " " + peer.libraryRevision());
        }

        @Override
        public void lost(DiscoveredPeer peer) {
            say("lost " + peer.peerId());
        }
    }

    private static final class Silent implements DiscoveryListener {
        @Override
        public void found(DiscoveredPeer peer) {
        }

        @Override
        public void lost(DiscoveredPeer peer) {
        }
    }
}
