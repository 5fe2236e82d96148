package io.lanspread.runtime;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails fast on fixed ports that are already taken (usually a second peer in the same place), instead of
 * letting Jetty or the QUIC server log a bind error and the launcher wait for a peer that cannot start.
 * Port 0 is never checked.
 */
final class PortCheck {

    private PortCheck() {
    }

    static List<String> problems(LaunchOptions options) {
        List<String> problems = new ArrayList<>();
        if (options.httpPort() != 0) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(options.httpBind()),
                        options.httpPort()));
            } catch (IOException e) {
                problems.add("HTTP port " + options.httpBind() + ":" + options.httpPort()
                        + " is not available (" + e.getMessage() + "); is another peer running? try --http-port 0");
            }
        }
        if (options.quicPort() != 0) {
            try (DatagramSocket socket = new DatagramSocket(null)) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName(options.bindAddress()), options.quicPort()));
            } catch (IOException e) {
                problems.add("UDP port " + options.bindAddress() + ":" + options.quicPort()
                        + " is not available (" + e.getMessage() + "); is another peer running? try --port 0");
            }
        }
        return problems;
    }
}
