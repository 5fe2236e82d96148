package io.lanspread.discovery.mdns.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The backend's configuration in usable form. The cached peers are reported again every
 * {@code requeryInterval}; the network is queried again first after {@code requeryInterval}, then at
 * intervals that double up to {@code maxQueryInterval} (RFC 6762 section 5.2), never shorter than the first.
 */
record MdnsSettings(List<String> interfaces, Duration requeryInterval, Duration interfaceCheckInterval,
        Duration maxQueryInterval) {

    MdnsSettings {
        interfaces = List.copyOf(interfaces);
        if (maxQueryInterval.compareTo(requeryInterval) < 0) {
            maxQueryInterval = requeryInterval;
        }
    }

    /** Network queries at a fixed interval, {@code requeryInterval} (tests). */
    MdnsSettings(List<String> interfaces, Duration requeryInterval, Duration interfaceCheckInterval) {
        this(interfaces, requeryInterval, interfaceCheckInterval, requeryInterval);
    }

    static MdnsSettings of(String[] interfaces, long requerySeconds, long interfaceCheckSeconds,
            long maxQuerySeconds) {
        List<String> names = interfaces == null ? List.of()
                : Arrays.stream(interfaces).flatMap(s -> Arrays.stream(s.split(","))).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
        return new MdnsSettings(names, Duration.ofSeconds(Math.max(1, requerySeconds)),
                Duration.ofSeconds(Math.max(1, interfaceCheckSeconds)), Duration.ofSeconds(Math.max(1, maxQuerySeconds)));
    }

    /** The interval after a network query that came {@code previous} after the one before it. */
    Duration nextQueryInterval(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(requeryInterval) < 0 ? requeryInterval
                : doubled.compareTo(maxQueryInterval) > 0 ? maxQueryInterval : doubled;
    }
}
