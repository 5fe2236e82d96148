package io.lanspread.discovery.mdns.internal;

import java.net.Inet4Address;
import java.util.List;

/** A network interface as seen at one moment: its flags and IPv4 addresses. */
record NetIf(String name, boolean up, boolean multicast, boolean loopback, List<Address> addresses) {

    record Address(Inet4Address address, int prefixLength) {
    }

    NetIf {
        addresses = List.copyOf(addresses);
    }
}
