package io.lanspread.discovery.mdns.internal;

import java.util.Locale;
import java.util.UUID;

/**
 * The service instance name {@code {hostname}-{uuid}} and the JmDNS host names, unique per session so
 * that two sessions on one machine never contend for a name. Each fits one DNS label (63 bytes).
 */
final class InstanceName {

    static final int MAX_LABEL = 63;
    private static final String FALLBACK = "lanspread";

    private InstanceName() {
    }

    static String of(String hostname, UUID uuid) {
        String id = uuid.toString();
        String host = hostname == null ? "" : hostname.trim();
        int dot = host.indexOf('.');
        if (dot >= 0) {
            host = host.substring(0, dot);
        }
        host = host.replaceAll("[^A-Za-z0-9-]", "-").toLowerCase(Locale.ROOT);
        int room = MAX_LABEL - id.length() - 1;
        if (host.length() > room) {
            host = host.substring(0, room);
        }
        if (host.isEmpty()) {
            host = FALLBACK;
        }
        return host + "-" + id;
    }

    /**
     * The JmDNS host name for one interface: unique per session and link, because JmDNS names its
     * threads after it and {@link MdnsLink#close()} watches them.
     */
    static String hostLabel(UUID uuid, int linkNumber, String interfaceName) {
        String label = FALLBACK + "-" + uuid.toString().substring(0, 8) + "-" + linkNumber + "-"
                + interfaceName.replaceAll("[^A-Za-z0-9-]", "-").toLowerCase(Locale.ROOT);
        return label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL) : label;
    }
}
