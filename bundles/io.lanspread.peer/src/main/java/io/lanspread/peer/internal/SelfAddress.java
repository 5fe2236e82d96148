package io.lanspread.peer.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** Whether an address is this peer's own QUIC listener. */
final class SelfAddress {

    private SelfAddress() {
    }

    /**
     * True when {@code candidate} is where {@code listening} accepts: the same port and, for a wildcard
     * bind, any address of this host; for a specific bind, that address.
     */
    static boolean matches(InetSocketAddress candidate, InetSocketAddress listening) {
        if (candidate == null || listening == null || candidate.getPort() != listening.getPort()) {
            return false;
        }
        InetAddress address = candidate.getAddress();
        if (address == null) {
            return false;
        }
        InetAddress bound = listening.getAddress();
        if (bound != null && !bound.isAnyLocalAddress()) {
            return bound.equals(address);
        }
        return isLocal(address);
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
