package io.lanspread.transport.quic.internal;

import java.util.concurrent.Executor;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;

/**
 * One connection's share of the server's send budget: a read takes its bytes from the connection's own
 * budget first, then from the server-wide one. A client that asks for data on many streams and never reads
 * it therefore holds at most its connection's share, and the rest of the server-wide budget stays for the
 * other connections, while the server-wide budget bounds the total.
 */
final class ConnectionBudget implements SendBudget {

    private static final AttributeKey<SendBudget> KEY = AttributeKey.valueOf(ConnectionBudget.class, "budget");

    private final ReadBudget own;
    private final SendBudget shared;

    /** @param bytes this connection's share; at most half of {@code shared}'s total is sensible */
    ConnectionBudget(long bytes, SendBudget shared, Executor executor) {
        this.own = new ReadBudget(bytes, executor);
        this.shared = shared;
    }

    /** Gives {@code connection} this budget. */
    void attachTo(QuicChannel connection) {
        connection.attr(KEY).set(this);
    }

    /** The budget of {@code connection}, or {@code otherwise} when it has none of its own. */
    static SendBudget of(QuicChannel connection, SendBudget otherwise) {
        SendBudget budget = connection.attr(KEY).get();
        return budget != null ? budget : otherwise;
    }

    @Override
    public boolean acquireOrWait(int bytes, Runnable then) {
        if (!own.acquireOrWait(bytes, () -> {
            if (shared.acquireOrWait(bytes, then)) {
                then.run(); // already on the executor
            }
        })) {
            return false;
        }
        return shared.acquireOrWait(bytes, then);
    }

    @Override
    public void release(int bytes) {
        shared.release(bytes);
        own.release(bytes);
    }

    /** Bytes of this connection's share not taken (for tests). */
    long available() {
        return own.available();
    }
}
