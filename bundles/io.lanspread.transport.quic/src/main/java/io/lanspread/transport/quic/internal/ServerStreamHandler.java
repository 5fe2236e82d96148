package io.lanspread.transport.quic.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.ProtocolException;
import io.lanspread.protocol.Request;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * One request stream on the server: collects the request frame on the event loop, then hands the
 * request to the {@link RequestProcessor}. A malformed frame is answered with {@code BAD_REQUEST}.
 */
final class ServerStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStreamHandler.class);

    private final RequestProcessor processor;
    private final long requestTimeoutMillis;
    private ByteBuf buffer;
    private boolean taken;
    private ScheduledFuture<?> deadline;

    /** @param requestTimeoutMillis how long a client may take to send its whole request (frame and FIN) */
    ServerStreamHandler(RequestProcessor processor, long requestTimeoutMillis) {
        this.processor = processor;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    /** A stream whose request never completes would otherwise be held open for as long as its connection lives. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            if (!taken && ctx.channel().isActive()) {
                reject(ctx, "no complete request within " + requestTimeoutMillis + " ms");
            }
        }, requestTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (taken) {
                return; // anything after the request is ignored
            }
            if (buffer == null) {
                buffer = ctx.alloc().heapBuffer(Math.max(in.readableBytes(), 256));
            }
            buffer.writeBytes(in);
        } finally {
            in.release();
        }
        tryDecode(ctx, false);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            tryDecode(ctx, true);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void tryDecode(ChannelHandlerContext ctx, boolean finished) {
        if (taken) {
            return;
        }
        int readable = buffer == null ? 0 : buffer.readableBytes();
        if (readable >= Protocol.LENGTH_PREFIX_BYTES) {
            int length;
            try {
                length = MessageCodec.checkFrameLength(buffer.getInt(buffer.readerIndex()), Protocol.MAX_REQUEST_FRAME);
            } catch (ProtocolException e) {
                reject(ctx, e.getMessage());
                return;
            }
            int frame = Protocol.LENGTH_PREFIX_BYTES + length;
            if (readable >= frame) {
                if (readable > frame) {
                    reject(ctx, (readable - frame) + " unexpected bytes after the request");
                    return;
                }
                byte[] json = new byte[length];
                buffer.getBytes(buffer.readerIndex() + Protocol.LENGTH_PREFIX_BYTES, json);
                release();
                Request request;
                try {
                    request = processor.codec().decodeRequest(json,
                            NegotiatedProtocol.served(((QuicStreamChannel) ctx.channel()).parent()));
                } catch (ProtocolException e) {
                    reject(ctx, e.getMessage());
                    return;
                }
                taken = true;
                cancelDeadline();
                processor.handle((QuicStreamChannel) ctx.channel(), request);
                return;
            }
        }
        if (finished) {
            reject(ctx, "truncated request: " + readable + " bytes");
        }
    }

    private void reject(ChannelHandlerContext ctx, String message) {
        taken = true;
        cancelDeadline();
        release();
        LOG.debug("bad request on {}: {}", ctx.channel(), message);
        processor.sendErrorAndClose((QuicStreamChannel) ctx.channel(), ErrorCode.BAD_REQUEST, message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("stream {} failed", ctx.channel(), cause);
        ctx.close();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
