package io.lanspread.transport.quic.internal;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

import io.lanspread.protocol.Protocol;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.util.AttributeKey;

/**
 * Why a peer closed a client connection, when it said: a refusal ({@link Protocol#CLOSE_REFUSED}) carries a
 * sentence, which the requests that fail with the connection pass on instead of a bare "connection closed".
 */
final class PeerClose {

    private static final AttributeKey<String> REFUSAL = AttributeKey.valueOf(PeerClose.class, "refusal");
    /** A reason phrase is shown to users: it is cut to this many characters. */
    private static final int MAX_REASON_CHARS = 200;

    private PeerClose() {
    }

    /** Remembers a refusal {@code peer} sent on {@code connection} (event loop). */
    static void closed(QuicChannel connection, SocketAddress peer, QuicConnectionCloseEvent event) {
        if (event.isApplicationClose() && event.error() == Protocol.CLOSE_REFUSED) {
            connection.attr(REFUSAL).set("peer at " + peer + " refused the connection: " + printable(event.reason()));
        }
    }

    /** "peer at X refused the connection: why" when it did, else {@code otherwise}. */
    static String describe(QuicChannel connection, String otherwise) {
        String refusal = connection == null ? null : connection.attr(REFUSAL).get();
        return refusal == null ? otherwise : refusal;
    }

    private static String printable(byte[] reason) {
        if (reason == null || reason.length == 0) {
            return "no reason given";
        }
        String text = new String(reason, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON_CHARS));
        text.codePoints().limit(MAX_REASON_CHARS).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }
}
