package org.example.lanspread.extras.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where beacons are sent: the configured addresses, or, when none is configured, the broadcast address of every
 * IPv4 network of every interface that is up and not loopback (asked again at every announcement, so a network
 * that comes up later is covered).
 */
final class BroadcastTargets {

    private BroadcastTargets() {
    }

    /**
     * The configured addresses as literals; a host name is not resolved (resolving may block, and a name is not
     * what a broadcast address is). Returns the entries that are not IPv4 literals in {@code rejected}.
     */
    static List<InetAddress> configured(String[] entries, List<String> rejected) {
        List<InetAddress> out = new ArrayList<>();
        if (entries == null) {
            return out;
        }
        for (String entry : entries) {
            for (String part : entry == null ? new String[0] : entry.split("[,\\s]+")) {
                if (part.isEmpty()) {
                    continue;
                }
                InetAddress address = ipv4Literal(part);
                if (address == null) {
                    rejected.add(part);
                } else {
                    out.add(address);
                }
            }
        }
        return out;
    }

    /** The broadcast addresses of this host's IPv4 networks now. */
    static List<InetAddress> ofThisHost() {
        Set<InetAddress> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    InetAddress broadcast = broadcastOf(a.getAddress(), a.getBroadcast(), a.getNetworkPrefixLength());
                    if (broadcast != null) {
                        out.add(broadcast);
                    }
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return List.copyOf(out);
    }

    /**
     * The broadcast address of an IPv4 network: the one the interface reports, or (when it reports none, as for an
     * address added without {@code brd}) the network's highest address. None for IPv6, /31 and /32.
     */
    static InetAddress broadcastOf(InetAddress address, InetAddress reported, int prefixLength) {
        if (!(address instanceof Inet4Address) || prefixLength < 0 || prefixLength > 30) {
            return null;
        }
        if (reported != null && !reported.isAnyLocalAddress()) {
            return reported;
        }
        byte[] b = address.getAddress();
        int host = b.length * 8 - prefixLength;
        int value = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        value |= (int) ((1L << host) - 1);
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            return null; // four bytes are always an address
        }
    }

    private static InetAddress ipv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
