package io.lanspread.discovery.mdns.internal;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the interfaces to run mDNS on. With no names configured: every interface that is up, supports
 * multicast and is not a loopback. With names: those interfaces when they are up (the operator's choice
 * is trusted otherwise). One binding per interface, on its lowest IPv4 address, so that one host never
 * answers twice on the same link.
 */
final class InterfaceSelector {

    private static final Comparator<NetIf.Address> LOWEST =
            Comparator.comparing(a -> Integer.toUnsignedLong(Binding.toInt(a.address())));

    private InterfaceSelector() {
    }

    static List<Binding> select(List<NetIf> interfaces, List<String> configured) {
        Set<String> names = configured.stream().map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        List<Binding> selected = new ArrayList<>();
        for (NetIf nif : interfaces) {
            boolean wanted = names.isEmpty()
                    ? nif.up() && nif.multicast() && !nif.loopback()
                    : nif.up() && names.contains(nif.name());
            if (wanted) {
                nif.addresses().stream().min(LOWEST)
                        .ifPresent(a -> selected.add(new Binding(nif.name(), a.address(), a.prefixLength())));
            }
        }
        selected.sort(Comparator.comparing(Binding::interfaceName));
        return selected;
    }

    /** The machine's interfaces now; an interface that vanishes while being read is left out. */
    static List<NetIf> snapshot() throws SocketException {
        List<NetIf> result = new ArrayList<>();
        Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
        while (all != null && all.hasMoreElements()) {
            NetworkInterface nif = all.nextElement();
            try {
                List<NetIf.Address> addresses = new ArrayList<>();
                for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                    if (ia.getAddress() instanceof Inet4Address a4) {
                        addresses.add(new NetIf.Address(a4, ia.getNetworkPrefixLength()));
                    }
                }
                result.add(new NetIf(nif.getName(), nif.isUp(), nif.supportsMulticast(), nif.isLoopback(),
                        addresses));
            } catch (SocketException e) {
                // gone between listing and reading; the next check sees the new state
            }
        }
        return result;
    }
}
