package io.lanspread.itests.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** Relays bytes both ways between two connected channels (TCP or Unix), passing half-closes along. */
final class Pump {

    private Pump() {
    }

    static void bothWays(SocketChannel a, SocketChannel b, String name) {
        AtomicInteger open = new AtomicInteger(2);
        Runnable done = () -> {
            if (open.decrementAndGet() == 0) {
                closeQuietly(a);
                closeQuietly(b);
            }
        };
        start(a, b, done, name + "-a2b");
        start(b, a, done, name + "-b2a");
    }

    private static void start(SocketChannel from, SocketChannel to, Runnable done, String name) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // one side went away: end both
                closeQuietly(from);
                closeQuietly(to);
            } finally {
                done.run();
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
