package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * A whole file: the header, then its bytes, written to the target in order on a serial executor (never on
 * the event loop). Reading pauses while too many bytes wait for the disk, so QUIC flow control holds the
 * sender back. A failed transfer deletes the partial target.
 */
final class FileResponseHandler extends ResponseStreamHandler<Long> {

    private static final Logger LOG = LoggerFactory.getLogger(FileResponseHandler.class);
    static final long HIGH_WATER = 8L * 1024 * 1024;
    static final long LOW_WATER = 2L * 1024 * 1024;

    private final Request.GetGameFileData request;
    private final Path target;
    private final Executor writer;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private Channel channel;
    private long size = -1;
    private long received;
    // only touched on the writer
    private FileChannel out;
    private boolean finished;

    FileResponseHandler(Completion<Long> completion, MessageCodec codec, Request.GetGameFileData request, Path target,
            Executor executor) {
        super(completion, codec);
        this.request = request;
        this.target = target;
        this.writer = new SerialExecutor(executor);
        completion.onSettled(() -> writer.execute(this::abortIfUnfinished));
    }

    @Override
    protected void onResponse(ChannelHandlerContext ctx, Response response) {
        if (!(response instanceof Response.FileData f)) {
            fail(failureOf(response));
            return;
        }
        if (!f.path().equals(request.path())) {
            fail(Reason.PROTOCOL, "file header for " + f.path() + " answers a request for " + request.path());
            return;
        }
        channel = ctx.channel();
        size = f.size();
        writer.execute(this::open);
        if (size == 0) {
            writer.execute(this::finish);
        }
    }

    @Override
    protected void onBody(ChannelHandlerContext ctx, ByteBuf body) {
        int n = body.readableBytes();
        if (received + n > size) {
            fail(Reason.PROTOCOL, "more bytes than the file's size " + size);
            return;
        }
        received += n;
        ByteBuf data = body.retainedSlice();
        if (pending.addAndGet(n) > HIGH_WATER && paused.compareAndSet(false, true)) {
            channel.config().setAutoRead(false);
            // the writer may have drained everything before it could see the pause
            if (pending.get() < LOW_WATER && paused.compareAndSet(true, false)) {
                channel.config().setAutoRead(true);
            }
        }
        writer.execute(() -> write(data));
        if (received == size) {
            writer.execute(this::finish);
        }
    }

    @Override
    protected void onEnd(ChannelHandlerContext ctx) {
        if (size >= 0 && received == size) {
            return; // everything arrived; the writer settles the request once it is on disk
        }
        if (size >= 0 && ctx.channel().parent().isActive()) {
            fail(Reason.PROTOCOL, "short file: " + received + " of " + size + " bytes");
        } else {
            super.onEnd(ctx);
        }
    }

    private void open() {
        if (completion.isSettled()) {
            return;
        }
        try {
            out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            localFailure(e);
        }
    }

    private void write(ByteBuf data) {
        int n = data.readableBytes();
        try {
            if (out != null && !completion.isSettled()) {
                while (data.isReadable()) {
                    data.readBytes(out, data.readableBytes());
                }
            }
        } catch (IOException e) {
            localFailure(e);
        } finally {
            data.release();
            if (pending.addAndGet(-n) < LOW_WATER && paused.compareAndSet(true, false)) {
                channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
            }
        }
    }

    private void finish() {
        if (out == null || completion.isSettled()) {
            return;
        }
        try {
            out.close();
            finished = true;
            completion.succeed(size);
        } catch (IOException e) {
            localFailure(e);
        }
    }

    private void localFailure(IOException e) {
        // no reason fits a local disk failure better; the cause tells it apart from a peer's error
        fail(new PeerRequestException(Reason.SERVER_ERROR, "writing " + target + " failed: " + e.getMessage(), e));
    }

    private void abortIfUnfinished() {
        if (finished) {
            return;
        }
        if (out == null) {
            return; // never touched the target
        }
        try {
            out.close();
            Files.deleteIfExists(target);
        } catch (IOException e) {
            LOG.debug("cleaning up {} failed", target, e);
        }
    }
}
