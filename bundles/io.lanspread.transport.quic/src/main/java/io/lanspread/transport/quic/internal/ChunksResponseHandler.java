package io.lanspread.transport.quic.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.api.transport.ReceivedChunk;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.ProtocolException;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Reads the answers of a protocol 3 {@code getChunks} on the event loop: per range in order, a chunk header
 * and its bytes, copied once from QUIC's receive buffers into a pooled direct buffer of the chunk's size, or
 * an error frame for that range alone. Each chunk is handed out as soon as it is whole, on the client's
 * executor; the stream's {@link Completion} settles after the last range (or fails every range not yet
 * answered).
 */
final class ChunksResponseHandler extends ChannelInboundHandlerAdapter {

    private final Completion<Void> completion;
    private final MessageCodec codec;
    private final List<ChunkRange> ranges;
    private final List<CompletableFuture<ReceivedChunk>> results;
    private final Executor executor;
    private int index;
    private ByteBuf header;
    private int frameLength = -1;
    private ByteBuf body;

    ChunksResponseHandler(Completion<Void> completion, MessageCodec codec, List<ChunkRange> ranges,
            List<CompletableFuture<ReceivedChunk>> results, Executor executor) {
        this.completion = completion;
        this.codec = codec;
        this.ranges = ranges;
        this.results = results;
        this.executor = executor;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (completion.isSettled()) {
                return;
            }
            completion.touch();
            while (in.isReadable() && !completion.isSettled()) {
                if (body != null) {
                    int n = Math.min(in.readableBytes(), body.writableBytes());
                    body.writeBytes(in, n);
                    if (!body.isWritable()) {
                        arrived();
                    }
                } else {
                    readFrame(ctx, in);
                }
            }
        } finally {
            in.release();
        }
    }

    /** Takes header bytes from {@code in}, never more than the frame has, and acts on a complete frame. */
    private void readFrame(ChannelHandlerContext ctx, ByteBuf in) {
        if (index == ranges.size()) {
            fail(Reason.PROTOCOL, in.readableBytes() + " bytes after the last chunk");
            return;
        }
        if (header == null) {
            header = ctx.alloc().heapBuffer(256);
        }
        int want = frameLength < 0 ? Protocol.LENGTH_PREFIX_BYTES - header.readableBytes()
                : Protocol.LENGTH_PREFIX_BYTES + frameLength - header.readableBytes();
        header.writeBytes(in, Math.min(want, in.readableBytes()));
        if (frameLength < 0) {
            if (header.readableBytes() < Protocol.LENGTH_PREFIX_BYTES) {
                return;
            }
            try {
                frameLength = MessageCodec.checkFrameLength(header.getInt(header.readerIndex()),
                        Protocol.MAX_RESPONSE_FRAME);
            } catch (ProtocolException e) {
                fail(Reason.PROTOCOL, e.getMessage());
                return;
            }
        }
        if (header.readableBytes() < Protocol.LENGTH_PREFIX_BYTES + frameLength) {
            return;
        }
        byte[] json = new byte[frameLength];
        header.getBytes(header.readerIndex() + Protocol.LENGTH_PREFIX_BYTES, json);
        header.clear();
        frameLength = -1;
        Response response;
        try {
            response = codec.decodeResponse(json, NegotiatedProtocol.version(((QuicStreamChannel) ctx.channel()).parent()));
        } catch (ProtocolException e) {
            fail(Reason.PROTOCOL, "bad response: " + e.getMessage());
            return;
        }
        onFrame(ctx, response);
    }

    private void onFrame(ChannelHandlerContext ctx, Response response) {
        ChunkRange range = ranges.get(index);
        if (response instanceof Response.Chunk c) {
            if (!c.path().equals(range.path()) || c.offset() != range.offset() || c.length() != range.length()) {
                fail(Reason.PROTOCOL, "chunk header " + c + " does not match the request's range " + range);
                return;
            }
            body = AlignedBodies.allocate(ctx.alloc(), range.length());
            return;
        }
        if (response instanceof Response.GameNotFound) {
            completion.fail(ResponseStreamHandler.failureOf(response)); // every range not yet answered
            return;
        }
        if (response instanceof Response.Error) {
            PeerRequestException refused = ResponseStreamHandler.failureOf(response);
            CompletableFuture<ReceivedChunk> result = results.get(index);
            dispatch(() -> result.completeExceptionally(refused));
            next();
            return;
        }
        fail(Reason.PROTOCOL, "unexpected response " + response.getClass().getSimpleName() + " for a chunk");
    }

    private void arrived() {
        PooledChunk chunk = new PooledChunk(ranges.get(index), body);
        body = null;
        CompletableFuture<ReceivedChunk> result = results.get(index);
        dispatch(() -> {
            if (!result.complete(chunk)) {
                chunk.release(); // the request failed meanwhile (timeout, shutdown)
            }
        });
        next();
    }

    private void next() {
        index++;
        if (index == ranges.size()) {
            completion.succeed(null);
        }
    }

    /** Completes a range's stage on the executor, never on the event loop. */
    private void dispatch(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // the client is shutting down
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBuffers();
        if (!completion.isSettled()) {
            if (!ctx.channel().parent().isActive()) {
                fail(Reason.UNREACHABLE, "the connection closed");
            } else {
                fail(Reason.PROTOCOL, "the stream ended after " + index + " of " + ranges.size() + " chunks");
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffers();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        completion.fail(new PeerRequestException(ctx.channel().parent().isActive() ? Reason.PROTOCOL : Reason.UNREACHABLE,
                "stream failed: " + cause, cause));
        ctx.close();
    }

    private void fail(Reason reason, String message) {
        completion.fail(new PeerRequestException(reason, message));
    }

    private void releaseBuffers() {
        if (header != null) {
            header.release();
            header = null;
        }
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
