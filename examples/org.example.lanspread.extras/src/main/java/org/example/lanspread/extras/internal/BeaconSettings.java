package org.example.lanspread.extras.internal;

import java.net.InetAddress;
import java.util.List;

/**
 * The beacon backend's configuration as plain values.
 *
 * @param port           the UDP port beacons are sent to and heard on
 * @param intervalMillis time between two announcements (and the least time between two reports of one peer)
 * @param targets        where to send; empty: the broadcast address of every network of this host
 * @param lostAfterMillis a peer not heard from this long is reported lost
 */
record BeaconSettings(int port, long intervalMillis, List<InetAddress> targets, long lostAfterMillis) {

    BeaconSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("The beacon port must be between 1 and 65535, not " + port + ".");
        }
        intervalMillis = Math.max(100, intervalMillis);
        targets = List.copyOf(targets);
        lostAfterMillis = Math.max(2 * intervalMillis, lostAfterMillis);
    }
}
