package org.example.lanspread.extras.internal;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The networks this host is on: every address of every interface that is up, with its prefix length. A peer
 * whose address falls into one of them is on this host's own subnet (reached without a router).
 */
final class LocalNetworks {

    /** One network: an address of this host and the length of its prefix. */
    record Network(byte[] address, int prefixLength) {
        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            int bits = Math.min(prefixLength, address.length * 8);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (other[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Network> networks;

    LocalNetworks(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** The networks of the interfaces that are up now; none when they cannot be listed. */
    static LocalNetworks ofThisHost() {
        List<Network> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    if (a.getAddress() != null) {
                        found.add(new Network(a.getAddress().getAddress(), a.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            // no networks known: every source is equally far, so none is preferred (as with the built-in planners)
            return new LocalNetworks(List.of());
        }
        return new LocalNetworks(found);
    }

    /** Whether {@code address} is on one of these networks (a loopback address always is). */
    boolean isLocal(InetAddress address) {
        if (address == null) {
            return false;
        }
        if (address.isLoopbackAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        for (Network n : networks) {
            if (n.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
