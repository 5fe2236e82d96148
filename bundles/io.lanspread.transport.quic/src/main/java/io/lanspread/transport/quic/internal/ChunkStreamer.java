package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.UnsafePathException;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Answers the chunks of one request stream (a protocol 3 {@code getChunks}, or a protocol 2
 * {@code getGameFileChunk} as a single range): each range is read on the I/O executor straight into a pooled
 * direct buffer, which QUIC sends from, while the next range is read (at most {@link #AHEAD} per stream in
 * memory, every read within the server's {@link ReadBudget}). A range that cannot be served gets an error
 * frame of its own and the stream goes on. The FIN rides on the last answer's own write (a stream frame with
 * the FIN bit, queued in order behind the answers before it) rather than on a separate empty write once all
 * were accepted (Netty's {@code shutdownOutput()} writes that one past the stream's write queue); with the
 * separate FIN, about one stream in a few thousand under load never ended.
 */
final class ChunkStreamer {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkStreamer.class);

    /** Answers of one stream read but not yet accepted by QUIC. */
    static final int AHEAD = 2;

    private final QuicStreamChannel stream;
    private final String gameId;
    private final List<Request.GetChunks.Range> ranges;
    private final ChunkReader reader;
    private final MessageCodec codec;
    private final SendBudget budget;
    private final Executor executor;
    private final LongAdder servedBytes;
    private final FairServing.Turns turns;

    // guarded by this
    private int next;
    private int unsent;
    private boolean reading = true; // the read task runs (or waits for budget); it starts running
    private boolean ended;
    private boolean finished;

    /**
     * @param reader the copy the chunks come from; only the read task touches it (one at a time)
     * @param turns the uplink's places of the remote peer: each range's read takes one once its budget is granted
     *              and gives it back when the read is handed to QUIC
     */
    ChunkStreamer(QuicStreamChannel stream, String gameId, List<Request.GetChunks.Range> ranges, ChunkReader reader,
            MessageCodec codec, SendBudget budget, Executor executor, LongAdder servedBytes, FairServing.Turns turns) {
        this.turns = turns;
        this.stream = stream;
        this.gameId = gameId;
        this.ranges = ranges;
        this.reader = reader;
        this.codec = codec;
        this.budget = budget;
        this.executor = executor;
        this.servedBytes = servedBytes;
    }

    /** On the I/O executor. A game that is not served is answered once, for the whole stream. */
    void start() {
        try {
            reader.checkServed();
        } catch (GameNotFoundException e) {
            synchronized (this) {
                next = ranges.size();
            }
            answer(codec.encode(new Response.GameNotFound(gameId)), null, 0);
            stopReading();
            return;
        }
        step();
    }

    /** The read task: answers ranges while fewer than {@link #AHEAD} are unsent. */
    private void step() {
        for (;;) {
            Request.GetChunks.Range range = nextRange();
            if (range == null) {
                return;
            }
            if (!budget.acquireOrWait(range.length(), () -> afterBudget(range))) {
                return; // goes on in afterBudget
            }
            if (!turns.enterOrQueue(() -> inTurn(range))) {
                return; // goes on in inTurn
            }
            serveInTurn(range);
        }
    }

    private void afterBudget(Request.GetChunks.Range range) {
        if (stopped()) {
            budget.release(range.length());
            stopReading();
            return;
        }
        if (!turns.enterOrQueue(() -> inTurn(range))) {
            return;
        }
        serveInTurn(range);
        step();
    }

    /** The range's place came free (on the thread that freed it, which must not read): the read goes on the executor. */
    private void inTurn(Request.GetChunks.Range range) {
        try {
            executor.execute(() -> {
                if (stopped()) {
                    turns.leave();
                    budget.release(range.length());
                    stopReading();
                    return;
                }
                serveInTurn(range);
                step();
            });
        } catch (RejectedExecutionException e) { // shutting down
            turns.leave();
            budget.release(range.length());
            end();
            stream.close();
        }
    }

    /** A stream closed while it waited reads nothing more. */
    private boolean stopped() {
        synchronized (this) {
            return ended || !stream.isActive();
        }
    }

    /** Reads and answers one range holding its place, which goes to the next read waiting as soon as QUIC has it. */
    private void serveInTurn(Request.GetChunks.Range range) {
        try {
            serve(range);
        } finally {
            turns.leave();
        }
    }

    /** The range to read now, or null when the task stops (done, ended, or enough unsent). */
    private Request.GetChunks.Range nextRange() {
        synchronized (this) {
            if (!ended && next < ranges.size() && unsent < AHEAD && stream.isActive()) {
                return ranges.get(next);
            }
        }
        stopReading();
        return null;
    }

    private void stopReading() {
        boolean closeNow;
        synchronized (this) {
            reading = false;
            closeNow = ended || next == ranges.size();
        }
        if (closeNow) {
            closeFile();
        }
        if (!stream.isActive()) {
            end();
        }
        finishIfDone();
    }

    /** Reads one range (its budget taken) and writes its answer. */
    private void serve(Request.GetChunks.Range range) {
        ByteBuf data = null;
        try {
            data = stream.alloc().directBuffer(range.length());
            reader.read(range, data);
            byte[] header = codec.encode(new Response.Chunk(range.path(), range.offset(), range.length(), null));
            ByteBuf body = data;
            data = null;
            answer(header, body, range.length());
            return;
        } catch (GameNotFoundException e) { // withdrawn meanwhile: nothing more of it is served
            synchronized (this) {
                next = ranges.size() - 1;
            }
            refuse(range, codec.encode(new Response.GameNotFound(gameId)));
        } catch (UnsafePathException e) {
            refuse(range, error(ErrorCode.INVALID_PATH, e.getMessage()));
        } catch (ServedFiles.FileNotServed | NoSuchFileException e) {
            refuse(range, error(ErrorCode.FILE_NOT_FOUND, e.getMessage()));
        } catch (ServedFiles.FileChanged e) {
            refuse(range, error(ErrorCode.FILE_CHANGED, e.getMessage()));
        } catch (ServedFiles.ChunkNotHeld e) {
            refuse(range, error(ErrorCode.CHUNK_NOT_HELD, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("serving {}+{} of {} failed", range.offset(), range.length(), range.path(), e);
            refuse(range, error(ErrorCode.SERVER_ERROR, String.valueOf(e.getMessage())));
        } finally {
            if (data != null) {
                data.release();
            }
        }
    }

    private void refuse(Request.GetChunks.Range range, byte[] frame) {
        closeFile(); // whatever happened to it, the next range opens it afresh
        budget.release(range.length());
        answer(frame, null, 0);
    }

    private byte[] error(ErrorCode code, String message) {
        return codec.encode(new Response.Error(code, message));
    }

    /**
     * Writes one range's answer, with the FIN when it is the stream's last; {@code bodyBytes} of budget go back
     * once QUIC accepted them.
     */
    private void answer(byte[] header, ByteBuf body, int bodyBytes) {
        boolean last;
        synchronized (this) {
            next++;
            unsent++;
            last = next >= ranges.size() && !ended;
            if (last) {
                finished = true;
            }
        }
        if (body == null) {
            stream.writeAndFlush(withFinIf(last, Unpooled.wrappedBuffer(header)))
                    .addListener(f -> written(0, f.isSuccess()));
            return;
        }
        stream.write(Unpooled.wrappedBuffer(header));
        stream.writeAndFlush(withFinIf(last, body)).addListener(f -> written(bodyBytes, f.isSuccess()));
    }

    private static Object withFinIf(boolean last, ByteBuf data) {
        return last ? new DefaultQuicStreamFrame(data, true) : data;
    }

    /** A write's listener (event loop). */
    private void written(int bodyBytes, boolean success) {
        if (bodyBytes > 0) {
            budget.release(bodyBytes);
        }
        if (!success) {
            end();
            stream.close();
            return;
        }
        servedBytes.add(bodyBytes);
        boolean resume;
        synchronized (this) {
            unsent--;
            resume = !reading && !ended && next < ranges.size();
            if (resume) {
                reading = true;
            }
        }
        if (resume) {
            try {
                executor.execute(this::step);
            } catch (RejectedExecutionException e) { // shutting down
                end();
                stream.close();
                return;
            }
        }
        finishIfDone();
    }

    /** FIN once every range is answered and written, where the last answer did not carry it already. */
    private void finishIfDone() {
        synchronized (this) {
            if (finished || ended || next < ranges.size() || unsent > 0 || reading) {
                return;
            }
            finished = true;
        }
        stream.shutdownOutput();
    }

    /** The stream is gone or broken: nothing more is read. */
    private void end() {
        boolean closeNow;
        synchronized (this) {
            ended = true;
            closeNow = !reading;
        }
        if (closeNow) {
            closeFile();
        }
    }

    private void closeFile() {
        reader.close();
    }
}
