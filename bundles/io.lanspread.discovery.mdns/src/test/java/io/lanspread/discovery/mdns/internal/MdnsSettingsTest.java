package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class MdnsSettingsTest {

    @Test
    void splitsCommaSeparatedNamesAndKeepsIntervalsPositive() {
        MdnsSettings s = MdnsSettings.of(new String[] {"eth0, wlan0", " ", "br0"}, 0, -3, 0);

        assertThat(s.interfaces()).containsExactly("eth0", "wlan0", "br0");
        assertThat(s.requeryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.interfaceCheckInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.maxQueryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(MdnsSettings.of(null, 10, 5, 300)).isEqualTo(
                new MdnsSettings(List.of(), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(300)));
    }

    @Test
    void networkQueriesBackOffByDoublingUpToTheLimitNeverBelowTheFirstInterval() {
        MdnsSettings s = MdnsSettings.of(null, 10, 5, 300);

        Duration interval = s.requeryInterval();
        List<Long> seconds = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seconds.add(interval.toSeconds());
            interval = s.nextQueryInterval(interval);
        }
        assertThat(seconds).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L);
        assertThat(s.nextQueryInterval(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(10));
        assertThat(MdnsSettings.of(null, 10, 5, 3).maxQueryInterval()).as("a limit below the first interval")
                .isEqualTo(Duration.ofSeconds(10));
    }
}
