package io.lanspread.transport.quic.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.lanspread.protocol.Protocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;

/**
 * Closes a server connection the limits refused, with a QUIC application close ({@link Protocol#CLOSE_REFUSED})
 * whose reason phrase says why. The close waits for the end of the handshake: before it QUIC may only send a
 * transport close, which carries no reason, so the client could not tell the user what happened. Streams the
 * client opens meanwhile are not served.
 */
final class ConnectionRefusal extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<String> REASON = AttributeKey.valueOf(ConnectionRefusal.class, "reason");
    /** A refused client that never finishes its handshake is closed after this long anyway. */
    private static final long HANDSHAKE_WAIT_SECONDS = 5;

    private final String reason;
    private ScheduledFuture<?> timer;
    private boolean closed;

    private ConnectionRefusal(String reason) {
        this.reason = reason;
    }

    /** Marks {@code connection} refused for {@code reason} and closes it once its handshake is done. */
    static void refuse(QuicChannel connection, String reason) {
        connection.attr(REASON).set(reason);
        connection.pipeline().addLast(new ConnectionRefusal(reason));
    }

    static boolean isRefused(QuicChannel connection) {
        return connection.hasAttr(REASON);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> close(ctx), HANDSHAKE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
            close(ctx);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        timer.cancel(false);
        super.channelInactive(ctx);
    }

    private void close(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        closed = true;
        timer.cancel(false);
        ((QuicChannel) ctx.channel()).close(true, Protocol.CLOSE_REFUSED,
                Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }
}
