package io.lanspread.discovery.mdns.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The backend's configuration in usable form. */
record MdnsSettings(List<String> interfaces, Duration requeryInterval, Duration interfaceCheckInterval) {

    MdnsSettings {
        interfaces = List.copyOf(interfaces);
    }

    static MdnsSettings of(String[] interfaces, long requerySeconds, long interfaceCheckSeconds) {
        List<String> names = interfaces == null ? List.of()
                : Arrays.stream(interfaces).flatMap(s -> Arrays.stream(s.split(","))).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
        return new MdnsSettings(names, Duration.ofSeconds(Math.max(1, requerySeconds)),
                Duration.ofSeconds(Math.max(1, interfaceCheckSeconds)));
    }
}
