package io.lanspread.discovery.mdns.internal;

import java.net.Inet4Address;

/** Chooses which of a peer's advertised IPv4 addresses to use from a given interface. */
final class PeerAddresses {

    private PeerAddresses() {
    }

    /** The first address in the interface's subnet, else the first usable one, else {@code null}. */
    static Inet4Address pick(Inet4Address[] candidates, Binding local) {
        if (candidates == null) {
            return null;
        }
        Inet4Address fallback = null;
        for (Inet4Address a : candidates) {
            if (a == null || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                continue;
            }
            if (local.sameSubnet(a)) {
                return a;
            }
            if (fallback == null && !a.isLoopbackAddress()) {
                fallback = a;
            }
        }
        return fallback;
    }
}
