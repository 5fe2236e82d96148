package org.example.lanspread.extras.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BroadcastTargetsTest {

    @Test
    void theBroadcastAddressOfANetworkIsItsHighestAddressWhenTheInterfaceNamesNone() throws Exception {
        InetAddress host = InetAddress.getByName("192.0.2.11");
        assertThat(BroadcastTargets.broadcastOf(host, null, 24)).isEqualTo(InetAddress.getByName("192.0.2.255"));
        assertThat(BroadcastTargets.broadcastOf(host, InetAddress.getByName("0.0.0.0"), 20))
                .isEqualTo(InetAddress.getByName("192.0.15.255"));
        assertThat(BroadcastTargets.broadcastOf(host, InetAddress.getByName("192.0.2.127"), 24))
                .as("the one the interface reports").isEqualTo(InetAddress.getByName("192.0.2.127"));
        assertThat(BroadcastTargets.broadcastOf(host, null, 31)).isNull();
        assertThat(BroadcastTargets.broadcastOf(InetAddress.getByName("fe80::1"), null, 64)).isNull();
    }

    @Test
    void configuredAddressesAreIpv4LiteralsOnly() throws Exception {
        List<String> rejected = new ArrayList<>();
        List<InetAddress> out = BroadcastTargets.configured(
                new String[] {"192.0.2.255, 255.255.255.255", "example.org", "300.1.1.1", "::1", "10.0.0"}, rejected);
        assertThat(out).containsExactly(InetAddress.getByName("192.0.2.255"), InetAddress.getByName("255.255.255.255"));
        assertThat(rejected).containsExactly("example.org", "300.1.1.1", "::1", "10.0.0");
    }

    @Test
    void thisHostsTargetsAreBroadcastAddressesOfItsOwnNetworks() {
        for (InetAddress a : BroadcastTargets.ofThisHost()) {
            assertThat(a.getAddress()).hasSize(4);
            assertThat(a.isLoopbackAddress()).isFalse();
        }
    }
}
