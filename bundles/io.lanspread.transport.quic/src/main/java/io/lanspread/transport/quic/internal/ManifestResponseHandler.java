package io.lanspread.transport.quic.internal;

import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A manifest (protocol 2): the header, then exactly {@code hashBytes} raw bytes of chunk hashes, gathered into
 * one array sized from the header (the codec has checked that size against the files and the limit). The
 * result is the raw parts; turning them into a GameManifest copies megabytes, so the client does that on its
 * executor, not here on the event loop.
 */
final class ManifestResponseHandler extends ResponseStreamHandler<ManifestResponseHandler.Parts> {

    /** A manifest header and its tail, exactly as long as the header announced. */
    record Parts(Response.Manifest header, byte[] hashes) {
    }

    private final String gameId;
    private Response.Manifest header;
    private byte[] hashes;
    private int filled;

    ManifestResponseHandler(Completion<Parts> completion, MessageCodec codec, String gameId) {
        super(completion, codec);
        this.gameId = gameId;
    }

    @Override
    protected void onResponse(ChannelHandlerContext ctx, Response response) {
        if (!(response instanceof Response.Manifest m)) {
            fail(failureOf(response));
            return;
        }
        if (!m.gameId().equals(gameId)) {
            fail(Reason.PROTOCOL, "manifest of " + m.gameId() + " answers a request for " + gameId);
            return;
        }
        header = m;
        hashes = new byte[(int) m.hashBytes()];
        completeIfFull();
    }

    @Override
    protected void onBody(ChannelHandlerContext ctx, ByteBuf body) {
        int n = body.readableBytes();
        if (n > hashes.length - filled) {
            fail(Reason.PROTOCOL, "more than the manifest's " + hashes.length + " bytes of chunk hashes");
            return;
        }
        body.readBytes(hashes, filled, n);
        filled += n;
        completeIfFull();
    }

    private void completeIfFull() {
        if (filled == hashes.length) {
            completion.succeed(new Parts(header, hashes));
        }
    }

    @Override
    protected void onEnd(ChannelHandlerContext ctx) {
        if (hashes != null && ctx.channel().parent().isActive()) {
            fail(Reason.PROTOCOL, "short manifest: " + filled + " of " + hashes.length + " bytes of chunk hashes");
        } else {
            super.onEnd(ctx);
        }
    }
}
