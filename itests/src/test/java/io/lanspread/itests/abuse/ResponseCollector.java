package io.lanspread.itests.abuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Collects the response frames of one request stream into a {@link WireResponse}: the length-prefixed JSON
 * headers and the raw bytes after them, hashed as they arrive (never held, except a manifest's tail). The
 * stream ends when the server's FIN closes it. A slow reader reads at most one batch every {@code
 * readPauseMillis} (the stream has auto-read off), which holds the server's sending to its flow-control
 * window.
 */
final class ResponseCollector extends ChannelInboundHandlerAdapter {

    private final CompletableFuture<WireResponse> result = new CompletableFuture<>();
    private final long readPauseMillis;
    private final List<WireResponse.Part> parts = new ArrayList<>();
    private final ByteBuf header = Unpooled.buffer(256);
    private JsonNode current;
    private long bodyLeft;
    private long bodyLength;
    private long bodyBytes;
    private MessageDigest digest;
    private ByteArrayOutputStream kept;

    /** @param readPauseMillis 0 reads as fast as the data comes; more reads one batch per pause */
    ResponseCollector(long readPauseMillis) {
        this.readPauseMillis = readPauseMillis;
    }

    CompletableFuture<WireResponse> result() {
        return result;
    }

    private volatile boolean active;
    private volatile boolean finSeen;
    private volatile long bytesRead;

    /** Ends the answer as missing after a timeout, saying how far it got (for the report). */
    void timeOut(String what) {
        result.complete(new WireResponse(List.copyOf(parts), what + " (stream " + (active ? "open" : "not open yet")
                + ", " + bytesRead + " bytes and " + parts.size() + " frames read, FIN " + (finSeen ? "seen" : "not seen")
                + ")", bodyBytes));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active = true;
        if (readPauseMillis > 0) {
            ctx.read();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readPauseMillis > 0 && !result.isDone()) {
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    ctx.read();
                }
            }, readPauseMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        bytesRead += in.readableBytes();
        try {
            while (in.isReadable() && !result.isDone()) {
                if (current != null) {
                    body(in);
                } else {
                    headerBytes(in);
                }
            }
        } finally {
            in.release();
        }
    }

    private void body(ByteBuf in) {
        int n = (int) Math.min(bodyLeft, in.readableBytes());
        if (in.hasArray()) {
            digest.update(in.array(), in.arrayOffset() + in.readerIndex(), n);
        } else {
            digest.update(in.nioBuffer(in.readerIndex(), n));
        }
        if (kept != null) {
            byte[] copy = new byte[n];
            in.getBytes(in.readerIndex(), copy);
            kept.write(copy, 0, n);
        }
        in.skipBytes(n);
        bodyLeft -= n;
        bodyBytes += n;
        if (bodyLeft == 0) {
            endPart();
        }
    }

    private void headerBytes(ByteBuf in) {
        if (header.readableBytes() < 4) {
            header.writeBytes(in, Math.min(4 - header.readableBytes(), in.readableBytes()));
            if (header.readableBytes() < 4) {
                return;
            }
        }
        int length = header.getInt(0);
        if (length <= 0 || length > WireFrames.MAX_RESPONSE_FRAME) {
            fail("a response frame length of " + length);
            return;
        }
        int missing = 4 + length - header.readableBytes();
        header.writeBytes(in, Math.min(missing, in.readableBytes()));
        if (header.readableBytes() < 4 + length) {
            return;
        }
        byte[] json = new byte[length];
        header.getBytes(4, json);
        header.clear();
        try {
            current = WireFrames.JSON.readTree(json);
        } catch (IOException e) {
            fail("a response frame that is not JSON: " + e.getMessage());
            return;
        }
        bodyLength = WireFrames.bodyLength(current);
        bodyLeft = bodyLength;
        digest = sha256();
        kept = current.path("type").asText().equals("manifest") ? new ByteArrayOutputStream() : null;
        if (bodyLeft == 0) {
            endPart();
        }
    }

    private void endPart() {
        parts.add(new WireResponse.Part(current, bodyLength, digest.digest(), kept == null ? null : kept.toByteArray()));
        current = null;
        digest = null;
        kept = null;
    }

    /**
     * The peer's FIN. A stream whose own side is still open (a request never finished) is not closed by it, so
     * the answer ends here, not only when the stream closes.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            finSeen = true;
            end(ctx);
            ctx.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end(ctx);
        if (header.refCnt() > 0) {
            header.release();
        }
        ctx.fireChannelInactive();
    }

    private void end(ChannelHandlerContext ctx) {
        if (result.isDone()) {
            return;
        }
        if (!ctx.channel().parent().isActive()) {
            WireConnection.Credit credit = ctx.channel().parent().pipeline().get(WireConnection.Credit.class);
            fail("the connection closed after " + bytesRead + " bytes and " + parts.size() + " frames of the answer (FIN "
                    + (finSeen ? "seen" : "not seen") + "): " + (credit == null ? "?" : credit.closedBecause()));
        } else if (current != null) {
            fail("the stream ended " + bodyLeft + " bytes before the end of a " + current.path("type").asText());
        } else if (header.isReadable()) {
            fail("the stream ended inside a frame header");
        } else {
            result.complete(new WireResponse(List.copyOf(parts), null, bodyBytes));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail("the stream failed: " + cause);
        ctx.close();
    }

    private void fail(String problem) {
        result.complete(new WireResponse(List.copyOf(parts), problem, bodyBytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
