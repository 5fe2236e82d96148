package io.lanspread.transport.quic.internal;

import java.nio.ByteBuffer;

import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A chunk: the header, then exactly its length in bytes, copied to the heap. Protocol 1 headers carry the
 * sender's hash (the codec requires it there); in protocol 2 the result has none, whatever the header says:
 * the caller verifies the bytes against its chosen manifest.
 */
final class ChunkResponseHandler extends ResponseStreamHandler<ChunkData> {

    private final Request.GetGameFileChunk request;
    private final boolean senderHashes;
    private Response.Chunk chunk;
    private byte[] data;
    private int filled;

    ChunkResponseHandler(Completion<ChunkData> completion, MessageCodec codec, Request.GetGameFileChunk request,
            int protocolVersion) {
        super(completion, codec);
        this.request = request;
        this.senderHashes = protocolVersion < Protocol.VERSION_2;
    }

    @Override
    protected void onResponse(ChannelHandlerContext ctx, Response response) {
        if (!(response instanceof Response.Chunk c)) {
            fail(failureOf(response));
            return;
        }
        if (!c.path().equals(request.path()) || c.offset() != request.offset() || c.length() != request.length()) {
            fail(Reason.PROTOCOL, "chunk header " + c + " does not match the request");
            return;
        }
        chunk = c;
        data = new byte[c.length()];
        completeIfFull();
    }

    @Override
    protected void onBody(ChannelHandlerContext ctx, ByteBuf body) {
        int n = body.readableBytes();
        if (n > data.length - filled) {
            fail(Reason.PROTOCOL, "more bytes than the chunk's length " + data.length);
            return;
        }
        body.readBytes(data, filled, n);
        filled += n;
        completeIfFull();
    }

    private void completeIfFull() {
        if (filled == data.length) {
            completion.succeed(new ChunkData(chunk.path(), chunk.offset(), ByteBuffer.wrap(data).asReadOnlyBuffer(),
                    senderHashes ? chunk.sha256() : null));
        }
    }

    @Override
    protected void onEnd(ChannelHandlerContext ctx) {
        if (data != null && ctx.channel().parent().isActive()) {
            fail(Reason.PROTOCOL, "short chunk: " + filled + " of " + data.length + " bytes");
        } else {
            super.onEnd(ctx);
        }
    }
}
