package io.lanspread.discovery.mdns.internal;

import java.net.Inet4Address;

/** Where one JmDNS instance runs: an interface and its IPv4 address. */
record Binding(String interfaceName, Inet4Address address, int prefixLength) {

    /** Whether {@code other} lies in this binding's subnet. */
    boolean sameSubnet(Inet4Address other) {
        if (prefixLength <= 0 || prefixLength > 32) {
            return false;
        }
        int mask = prefixLength == 32 ? -1 : ~(-1 >>> prefixLength);
        return (toInt(address) & mask) == (toInt(other) & mask);
    }

    @Override
    public String toString() {
        return interfaceName + "/" + address.getHostAddress();
    }

    static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
