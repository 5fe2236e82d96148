package io.lanspread.transport.quic.internal;

/** A bound on file bytes held in memory for sending: taken before a read, given back once QUIC accepted them. */
interface SendBudget {

    /**
     * Takes {@code bytes} when they are free; returns true then, and the caller goes on. Otherwise returns
     * false and {@code then} runs on the server's I/O executor once they are taken.
     */
    boolean acquireOrWait(int bytes, Runnable then);

    /** Gives back what {@link #acquireOrWait} took for {@code bytes}. */
    void release(int bytes);
}
