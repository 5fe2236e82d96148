package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Streams a file region on a blocking executor with backpressure: a write completes only once QUIC has
 * accepted its bytes (flow control), so reading pauses while more than {@link #HIGH_WATER} bytes are
 * unaccepted and resumes below {@link #LOW_WATER}. The last block's write carries the stream's FIN (a stream
 * frame with the FIN bit, queued in order behind the blocks before it).
 */
final class FileSender {

    private static final Logger LOG = LoggerFactory.getLogger(FileSender.class);

    static final int READ_SIZE = 256 * 1024;
    static final long HIGH_WATER = 4L * 1024 * 1024;
    static final long LOW_WATER = 1L * 1024 * 1024;

    private final QuicStreamChannel stream;
    private final FileChannel file;
    private final long end;
    private final Executor executor;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder servedBytes;
    private final SendBudget budget;
    private long position;

    /**
     * @param servedBytes grows by each block QUIC accepted
     * @param budget the server's bound on file bytes in memory; each block takes its share until accepted
     */
    FileSender(QuicStreamChannel stream, FileChannel file, long start, long length, Executor executor,
            LongAdder servedBytes, SendBudget budget) {
        this.stream = stream;
        this.budget = budget;
        this.servedBytes = servedBytes;
        this.file = file;
        this.position = start;
        this.end = start + length;
        this.executor = executor;
    }

    /** Runs on the executor; returns when the file is sent, the stream is gone, or the window is full. */
    void pump() {
        try {
            while (position < end) {
                if (!stream.isActive()) {
                    closeFile();
                    return;
                }
                if (inFlight.get() >= HIGH_WATER) {
                    paused.set(true);
                    // the last completion may have happened before we paused: check again
                    if (inFlight.get() >= HIGH_WATER || !paused.compareAndSet(true, false)) {
                        return;
                    }
                    continue;
                }
                int n = (int) Math.min(READ_SIZE, end - position);
                if (!budget.acquireOrWait(n, () -> {
                    if (sendBlock(n)) {
                        pump();
                    }
                })) {
                    return; // the server's memory budget is spent: goes on once it is not
                }
                if (!sendBlock(n)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("sending a file on {} failed", stream, e);
            closeFile();
            stream.close();
        }
    }

    /** Reads the next {@code n} bytes (their budget taken) and writes them; false when the transfer broke. */
    private boolean sendBlock(int n) {
        ByteBuf buf = null;
        try {
            if (!stream.isActive()) {
                throw new IOException("the stream closed");
            }
            buf = stream.alloc().directBuffer(n);
            while (buf.writerIndex() < n) {
                int read = buf.writeBytes(file, position + buf.writerIndex(), n - buf.writerIndex());
                if (read < 0) {
                    throw new IOException("file shrank while being sent");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (buf != null) {
                buf.release();
            }
            budget.release(n);
            if (stream.isActive()) {
                LOG.warn("sending a file on {} failed", stream, e);
            }
            closeFile();
            stream.close();
            return false;
        }
        position += n;
        inFlight.addAndGet(n);
        boolean last = position == end;
        // the last block carries the FIN itself (see ChunkStreamer)
        ChannelFuture f = stream.writeAndFlush(last ? new DefaultQuicStreamFrame(buf, true) : buf);
        f.addListener(done -> written(n, last, done.isSuccess()));
        return true;
    }

    private void written(int n, boolean last, boolean success) {
        budget.release(n);
        if (!success) {
            closeFile();
            stream.close();
            return;
        }
        servedBytes.add(n);
        if (last) {
            closeFile();
            return;
        }
        if (inFlight.addAndGet(-n) < LOW_WATER && paused.compareAndSet(true, false)) {
            executor.execute(this::pump);
        }
    }

    private void closeFile() {
        if (closed.compareAndSet(false, true)) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("closing a served file failed", e);
            }
        }
    }
}
