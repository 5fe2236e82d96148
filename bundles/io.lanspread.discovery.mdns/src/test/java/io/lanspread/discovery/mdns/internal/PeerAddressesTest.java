package io.lanspread.discovery.mdns.internal;

import static io.lanspread.discovery.mdns.internal.InterfaceSelectorTest.addr;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;

import org.junit.jupiter.api.Test;

class PeerAddressesTest {

    private static final Binding LOCAL = new Binding("eth0", addr("192.0.2.1", 24).address(), 24);

    @Test
    void prefersAnAddressOnTheInterfaceSubnet() {
        assertThat(PeerAddresses.pick(of("10.1.1.1", "192.0.2.9"), LOCAL)).isEqualTo(ip("192.0.2.9"));
    }

    @Test
    void fallsBackToTheFirstUsableAddress() {
        assertThat(PeerAddresses.pick(of("127.0.0.1", "0.0.0.0", "10.1.1.1", "10.1.1.2"), LOCAL))
                .isEqualTo(ip("10.1.1.1"));
    }

    @Test
    void nullWhenNothingUsable() {
        assertThat(PeerAddresses.pick(of("127.0.0.1"), LOCAL)).isNull();
        assertThat(PeerAddresses.pick(new Inet4Address[0], LOCAL)).isNull();
        assertThat(PeerAddresses.pick(null, LOCAL)).isNull();
    }

    private static Inet4Address[] of(String... ips) {
        Inet4Address[] result = new Inet4Address[ips.length];
        for (int i = 0; i < ips.length; i++) {
            result[i] = ip(ips[i]);
        }
        return result;
    }

    private static Inet4Address ip(String ip) {
        return addr(ip, 0).address();
    }
}
