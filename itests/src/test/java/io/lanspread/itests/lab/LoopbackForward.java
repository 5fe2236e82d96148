package io.lanspread.itests.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The test-side end of {@link LabHost#forward(int)}: a listener on the test JVM's 127.0.0.1 whose
 * connections are relayed to a {@link UnixRelay} socket.
 */
final class LoopbackForward implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path socket;

    LoopbackForward(Path socket, String name) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(this::acceptLoop, "lab-forward-" + name);
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    private void acceptLoop() {
        int n = 0;
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Pump.bothWays(client, SocketChannel.open(UnixDomainSocketAddress.of(socket)), "forward-" + n++);
            } catch (IOException e) {
                Pump.closeQuietly(client);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
