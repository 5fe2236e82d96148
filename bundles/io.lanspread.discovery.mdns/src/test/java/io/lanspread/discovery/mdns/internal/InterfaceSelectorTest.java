package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

class InterfaceSelectorTest {

    private static final NetIf LO = new NetIf("lo", true, false, true, List.of(addr("127.0.0.1", 8)));
    private static final NetIf ETH0 = new NetIf("eth0", true, true, false,
            List.of(addr("192.0.2.20", 24), addr("192.0.2.7", 24)));
    private static final NetIf WLAN_DOWN = new NetIf("wlan0", false, true, false, List.of(addr("198.51.100.3", 24)));
    private static final NetIf TUN = new NetIf("tun0", true, false, false, List.of(addr("203.0.113.9", 32)));
    private static final NetIf NO_V4 = new NetIf("eth1", true, true, false, List.of());
    private static final NetIf ETH2 = new NetIf("eth2", true, true, false, List.of(addr("198.51.100.1", 25)));
    private static final List<NetIf> ALL = List.of(LO, ETH2, ETH0, WLAN_DOWN, TUN, NO_V4);

    @Test
    void byDefaultTakesUpMulticastNonLoopbackInterfacesWithIpv4() {
        assertThat(InterfaceSelector.select(ALL, List.of())).containsExactly(
                new Binding("eth0", addr("192.0.2.7", 24).address(), 24),
                new Binding("eth2", addr("198.51.100.1", 25).address(), 25));
    }

    @Test
    void oneBindingPerInterfaceOnItsLowestAddress() {
        assertThat(InterfaceSelector.select(List.of(ETH0), List.of()))
                .extracting(b -> b.address().getHostAddress()).containsExactly("192.0.2.7");
    }

    @Test
    void configuredNamesAreTakenWhenUpWhateverTheirFlags() {
        assertThat(InterfaceSelector.select(ALL, List.of(" tun0 ", "wlan0", "missing", "")))
                .extracting(Binding::interfaceName).containsExactly("tun0");
        assertThat(InterfaceSelector.select(ALL, List.of("lo")))
                .extracting(Binding::interfaceName).containsExactly("lo");
    }

    @Test
    void nothingWhenNothingFits() {
        assertThat(InterfaceSelector.select(List.of(LO, WLAN_DOWN, NO_V4), List.of())).isEmpty();
    }

    @Test
    void snapshotOfThisMachineIncludesLoopback() throws Exception {
        assertThat(InterfaceSelector.snapshot()).anyMatch(NetIf::loopback);
    }

    @Test
    void sameSubnetHonoursThePrefix() {
        Binding b = new Binding("eth2", addr("198.51.100.1", 25).address(), 25);

        assertThat(b.sameSubnet(addr("198.51.100.127", 0).address())).isTrue();
        assertThat(b.sameSubnet(addr("198.51.100.128", 0).address())).isFalse();
        assertThat(new Binding("x", addr("10.0.0.1", 32).address(), 32).sameSubnet(addr("10.0.0.1", 0).address()))
                .isTrue();
    }

    static NetIf.Address addr(String ip, int prefix) {
        try {
            return new NetIf.Address((Inet4Address) InetAddress.getByName(ip), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
