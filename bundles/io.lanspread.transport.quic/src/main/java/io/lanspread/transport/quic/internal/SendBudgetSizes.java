package io.lanspread.transport.quic.internal;

/**
 * How much file data the server holds for sending, in total and per connection. Data a client never reads
 * stays held (QUIC cannot accept it), so what matters is that every connection there may be together cannot
 * hold the whole budget: a connection gets a small share (two 512 KiB chunks by default: enough to keep one
 * read ahead of the network), and the total is large, but never more than half of the direct memory the JVM
 * allows, which the buffers come from.
 */
record SendBudgetSizes(long totalBytes, long perConnectionBytes) {

    private static final long MIB = 1024L * 1024;

    /**
     * @param totalMib         the configured total
     * @param perConnectionMib the configured share of one connection
     * @param maxDirectBytes   the JVM's direct memory limit (or a negative value when unknown)
     */
    static SendBudgetSizes of(int totalMib, int perConnectionMib, long maxDirectBytes) {
        long total = Math.max(1, totalMib) * MIB;
        if (maxDirectBytes > 0) {
            total = Math.max(MIB, Math.min(total, maxDirectBytes / 2));
        }
        long perConnection = Math.min(Math.max(1, perConnectionMib) * MIB, Math.max(MIB / 2, total / 2));
        return new SendBudgetSizes(total, perConnection);
    }
}
