package io.lanspread.transport.quic.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's bound on open connections: at most {@code perAddress} from one remote IP address and
 * {@code total} from all. A connection counts from its first packet (its handshake included) until it closes.
 * Thread-safe.
 */
final class ConnectionLimits {

    private int perAddress; // guarded by this
    private int total; // guarded by this
    private final Map<InetAddress, Integer> open = new HashMap<>();
    private int openTotal;

    ConnectionLimits(int perAddress, int total) {
        resize(perAddress, total);
    }

    /** New limits for connections from now on; open ones beyond them stay until they close. */
    synchronized void resize(int perAddress, int total) {
        this.perAddress = Math.max(1, perAddress);
        this.total = Math.max(1, total);
    }

    synchronized int perAddress() {
        return perAddress;
    }

    synchronized int total() {
        return total;
    }

    /**
     * Counts a new connection from {@code address} if both limits allow it.
     *
     * @return null when admitted (then {@link #release} it once it closed), else the sentence saying why not
     */
    synchronized String admit(InetAddress address) {
        int fromAddress = open.getOrDefault(address, 0);
        if (fromAddress >= perAddress) {
            return "too many connections from " + address.getHostAddress() + ": this peer allows " + perAddress
                    + " per address";
        }
        if (openTotal >= total) {
            return "too many connections: this peer allows " + total + " at once";
        }
        open.put(address, fromAddress + 1);
        openTotal++;
        return null;
    }

    synchronized void release(InetAddress address) {
        Integer fromAddress = open.get(address);
        if (fromAddress == null) {
            return;
        }
        if (fromAddress <= 1) {
            open.remove(address);
        } else {
            open.put(address, fromAddress - 1);
        }
        openTotal--;
    }

    synchronized int open() {
        return openTotal;
    }

    synchronized int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
