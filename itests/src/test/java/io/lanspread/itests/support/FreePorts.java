package io.lanspread.itests.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Free UDP ports on loopback, for peers that must know each other's QUIC port before any of them is up
 * (so that they can start side by side) or keep it across a restart.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** A UDP port on 127.0.0.1 that was free a moment ago (the system's pick for port 0). */
    public static int udp() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }
}
