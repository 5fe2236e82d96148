package io.lanspread.itests.lab;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A bounded TCP transfer to measure a lab link.
 * <ul>
 * <li>{@code serve <bindAddress> <port>}: listens (port 0 = any), prints {@code READY port=<p>}, accepts
 * one connection, reads to EOF and prints {@code RECEIVED bytes=<n> nanos=<t> mbit=<rate>}, timed from
 * the first byte to EOF, then closes.</li>
 * <li>{@code send <address> <port> <bytes>}: writes that many bytes, half-closes, waits for the
 * receiver to close, prints {@code SENT bytes=<n>}.</li>
 * </ul>
 */
public final class TcpProbe {

    private TcpProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]));
        } else {
            send(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
        }
    }

    private static void serve(String bind, int port) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
            System.out.println("READY port=" + server.getLocalPort());
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                long first = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (total == 0 && n > 0) {
                        first = System.nanoTime();
                    }
                    total += n;
                }
                long nanos = Math.max(1, System.nanoTime() - first);
                double mbit = total * 8.0 * 1000.0 / nanos;
                System.out.printf("RECEIVED bytes=%d nanos=%d mbit=%.1f%n", total, nanos, mbit);
            }
        }
    }

    private static void send(String address, int port, long bytes) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 5000);
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[1 << 16];
            long left = bytes;
            while (left > 0) {
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // drain until the receiver closes: it has read everything
            }
        }
        System.out.println("SENT bytes=" + bytes);
    }
}
