package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class MdnsSettingsTest {

    @Test
    void splitsCommaSeparatedNamesAndKeepsIntervalsPositive() {
        MdnsSettings s = MdnsSettings.of(new String[] {"eth0, wlan0", " ", "br0"}, 0, -3);

        assertThat(s.interfaces()).containsExactly("eth0", "wlan0", "br0");
        assertThat(s.requeryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.interfaceCheckInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(MdnsSettings.of(null, 10, 5)).isEqualTo(
                new MdnsSettings(List.of(), Duration.ofSeconds(10), Duration.ofSeconds(5)));
    }
}
