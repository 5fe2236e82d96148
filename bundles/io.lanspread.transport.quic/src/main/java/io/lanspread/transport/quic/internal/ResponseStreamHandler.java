package io.lanspread.transport.quic.internal;

import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.ProtocolException;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Reads one response on a client request stream (event loop): the header frame, then the raw bytes that
 * follow it, if any. Subclasses turn them into the request's result.
 */
abstract class ResponseStreamHandler<T> extends ChannelInboundHandlerAdapter {

    protected final Completion<T> completion;
    private final MessageCodec codec;
    private ByteBuf header;
    private boolean headerRead;

    ResponseStreamHandler(Completion<T> completion, MessageCodec codec) {
        this.completion = completion;
        this.codec = codec;
    }

    /** The response header arrived. */
    protected abstract void onResponse(ChannelHandlerContext ctx, Response response);

    /** Raw bytes after the header; the buffer is released by the caller after this returns. */
    protected void onBody(ChannelHandlerContext ctx, ByteBuf body) {
        fail(Reason.PROTOCOL, body.readableBytes() + " unexpected bytes after the response");
    }

    /** The stream ended (FIN or close) before the request was settled. */
    protected void onEnd(ChannelHandlerContext ctx) {
        QuicChannel connection = (QuicChannel) ctx.channel().parent();
        if (!connection.isActive()) {
            fail(Reason.UNREACHABLE, PeerClose.describe(connection,
                    "the connection closed"));
        } else {
            fail(Reason.PROTOCOL, headerRead ? "the response ended early" : "the stream ended without a response");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (completion.isSettled()) {
                return;
            }
            completion.touch();
            if (headerRead) {
                onBody(ctx, in);
                return;
            }
            if (header == null) {
                header = ctx.alloc().heapBuffer(Math.max(256, in.readableBytes()));
            }
            header.writeBytes(in);
            readHeader(ctx);
        } finally {
            in.release();
        }
    }

    private void readHeader(ChannelHandlerContext ctx) {
        if (header.readableBytes() < Protocol.LENGTH_PREFIX_BYTES) {
            return;
        }
        int length;
        try {
            length = MessageCodec.checkFrameLength(header.getInt(header.readerIndex()), Protocol.MAX_RESPONSE_FRAME);
        } catch (ProtocolException e) {
            fail(Reason.PROTOCOL, e.getMessage());
            return;
        }
        if (header.readableBytes() < Protocol.LENGTH_PREFIX_BYTES + length) {
            return;
        }
        header.skipBytes(Protocol.LENGTH_PREFIX_BYTES);
        byte[] json = new byte[length];
        header.readBytes(json);
        headerRead = true;
        Response response;
        try {
            response = codec.decodeResponse(json, NegotiatedProtocol.version(((QuicStreamChannel) ctx.channel()).parent()));
        } catch (ProtocolException e) {
            fail(Reason.PROTOCOL, "bad response: " + e.getMessage());
            return;
        }
        onResponse(ctx, response);
        if (header.isReadable() && !completion.isSettled()) {
            onBody(ctx, header);
        }
        releaseHeader();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeader();
        if (!completion.isSettled()) {
            onEnd(ctx);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(new PeerRequestException(ctx.channel().parent().isActive() ? Reason.PROTOCOL : Reason.UNREACHABLE,
                "stream failed: " + cause, cause));
        ctx.close();
    }

    protected final void fail(Reason reason, String message) {
        fail(new PeerRequestException(reason, message));
    }

    protected final void fail(PeerRequestException e) {
        completion.fail(e);
    }

    private void releaseHeader() {
        if (header != null) {
            header.release();
            header = null;
        }
    }

    /** Error codes carry the names of the API's reasons; one the API lacks is the peer breaking the protocol. */
    private static Reason reasonOf(ErrorCode code) {
        try {
            return Reason.valueOf(code.name());
        } catch (IllegalArgumentException e) {
            return Reason.PROTOCOL;
        }
    }

    /** The failure a non-data response stands for. */
    static PeerRequestException failureOf(Response response) {
        if (response instanceof Response.GameNotFound r) {
            return new PeerRequestException(Reason.GAME_NOT_FOUND, "the peer does not have game " + r.gameId());
        }
        if (response instanceof Response.Error r) {
            return new PeerRequestException(reasonOf(r.code()), r.message());
        }
        return new PeerRequestException(Reason.PROTOCOL, "unexpected response " + response.getClass().getSimpleName());
    }
}
