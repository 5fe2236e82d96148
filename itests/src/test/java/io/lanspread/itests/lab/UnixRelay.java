package io.lanspread.itests.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code UnixRelay <socketPath> <port>}, run inside a lab host: listens on a Unix socket (a file, so it
 * is reachable from every network namespace) and relays each connection to 127.0.0.1:port of the host.
 * Prints {@code READY} once listening. The far end of {@link LabHost#forward(int)}.
 */
public final class UnixRelay {

    private UnixRelay() {
    }

    public static void main(String[] args) throws IOException {
        Path path = Paths.get(args[0]);
        int port = Integer.parseInt(args[1]);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            System.out.println("READY");
            int n = 0;
            while (true) {
                SocketChannel client = server.accept();
                try {
                    SocketChannel target = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    Pump.bothWays(client, target, "relay-" + n++);
                } catch (IOException e) {
                    System.out.println("cannot reach 127.0.0.1:" + port + ": " + e);
                    Pump.closeQuietly(client);
                }
            }
        }
    }
}
