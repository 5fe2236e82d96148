package io.lanspread.discovery.staticlist.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the {@code peers} configuration into addresses, logging and skipping bad entries. */
final class PeerList {

    private static final Logger LOG = LoggerFactory.getLogger(PeerList.class);

    private PeerList() {
    }

    /** Every element may itself hold several comma-separated entries; duplicates are dropped. */
    static List<PeerAddress> parse(String[] configured) {
        Set<PeerAddress> peers = new LinkedHashSet<>();
        if (configured == null) {
            return List.of();
        }
        for (String element : configured) {
            if (element == null) {
                continue;
            }
            for (String entry : element.split("[,\\s]+")) {
                if (entry.isBlank()) {
                    continue;
                }
                try {
                    peers.add(PeerAddress.parse(entry));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring static peer entry '{}': {} (expected host:port or [ipv6]:port)", entry,
                            e.getMessage());
                }
            }
        }
        return List.copyOf(peers);
    }
}
