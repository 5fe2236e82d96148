package io.lanspread.itests.abuse;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * One QUIC connection to the peer under test, on its own UDP socket bound to a chosen local address.
 * Streams are opened only within the peer's stream credit: requests beyond it wait here in order until
 * streams end and the peer grants more (QUIC forbids more, and Netty would fail the stream). Pings go
 * first and may use a reserve of the credit that other requests leave free.
 */
final class WireConnection {

    /** How a stream's answer is read. */
    enum Reading {
        /** As fast as it comes. */
        NORMAL,
        /** One read batch every {@link WireConnection#SLOW_READ_PAUSE_MILLIS}. */
        SLOW,
        /** Never: auto-read off and no read, so the answer stays in the peer's send path. */
        NEVER
    }

    static final long SLOW_READ_PAUSE_MILLIS = 100;

    private final InetSocketAddress local;
    private final Channel datagram;
    private final QuicChannel quic;
    private final Credit credit;

    WireConnection(InetSocketAddress local, Channel datagram, QuicChannel quic, Credit credit) {
        this.local = local;
        this.datagram = datagram;
        this.quic = quic;
        this.credit = credit;
    }

    InetSocketAddress local() {
        return local;
    }

    boolean isActive() {
        return quic.isActive();
    }

    /**
     * Sends {@code request} on a new stream (its frame, then FIN) once the peer allows one; the future
     * completes when the stream ended. With {@link Reading#NEVER} it completes only if the peer ends it.
     */
    CompletableFuture<WireResponse> request(JsonNode request, Reading reading) {
        return request(request, reading, 0);
    }

    /** Like {@link #request(JsonNode, Reading)}; after {@code timeoutSeconds} (0: none) the answer counts as missing. */
    CompletableFuture<WireResponse> request(JsonNode request, Reading reading, int timeoutSeconds) {
        ResponseCollector collector = new ResponseCollector(reading == Reading.SLOW ? SLOW_READ_PAUSE_MILLIS : 0);
        if (timeoutSeconds > 0) {
            CompletableFuture.delayedExecutor(timeoutSeconds, TimeUnit.SECONDS)
                    .execute(() -> collector.timeOut("no answer within " + timeoutSeconds + " s"));
        }
        ByteBuffer frame = WireFrames.encode(request);
        open(request.path("type").asText().equals("ping"), collector, reading == Reading.NORMAL, frame, true)
                .whenComplete((s, e) -> {
                    if (e != null) {
                        collector.result().complete(new WireResponse(List.of(), "no stream: " + e, 0));
                    }
                });
        return collector.result();
    }

    /**
     * Opens a stream and sends only the first {@code bytes} of {@code request}'s frame, without FIN: a
     * request that never arrives. The future completes when the peer ends the stream.
     */
    CompletableFuture<WireResponse> halfSend(JsonNode request, int bytes) {
        ResponseCollector collector = new ResponseCollector(0);
        ByteBuffer frame = WireFrames.encode(request);
        frame.limit(Math.min(frame.limit(), bytes));
        open(false, collector, true, frame, false).whenComplete((s, e) -> {
            if (e != null) {
                collector.result().complete(new WireResponse(List.of(), "no stream: " + e, 0));
            }
        });
        return collector.result();
    }

    /**
     * Opens one stream when credit allows (a {@code control} one first, and within the reserve), writes {@code
     * bytes}, then FIN when {@code fin}.
     */
    CompletableFuture<QuicStreamChannel> open(boolean control, ChannelInboundHandlerAdapter handler, boolean autoRead,
            ByteBuffer bytes, boolean fin) {
        CompletableFuture<QuicStreamChannel> opened = new CompletableFuture<>();
        credit.submit(control, () -> quic.newStreamBootstrap().type(QuicStreamType.BIDIRECTIONAL)
                .option(ChannelOption.AUTO_READ, autoRead).handler(handler).create().addListener(f -> {
                    if (!f.isSuccess()) {
                        opened.completeExceptionally(f.cause());
                        return;
                    }
                    QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
                    stream.closeFuture().addListener(c -> credit.pump());
                    // FIN only once the frame is written: a FIN queued ahead of data loses the data
                    stream.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(w -> {
                        if (w.isSuccess() && fin) {
                            stream.shutdownOutput();
                        }
                    });
                    opened.complete(stream);
                }), opened);
        return opened;
    }

    /** Streams opened so far on this connection. */
    int streamsOpened() {
        return credit.opened;
    }

    /** Requests waiting for stream credit. */
    int waiting() {
        return credit.waitingCount;
    }

    /** Application close (code 0), as a client that leaves politely. */
    CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!quic.isActive()) {
            datagram.close();
            done.complete(null);
            return done;
        }
        quic.close(true, 0, Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII)).addListener(f -> {
            datagram.close();
            done.complete(null);
        });
        return done;
    }

    /**
     * Opens waiting streams while the peer allows; the handler of the QUIC channel. Control requests (pings)
     * go first and may use the last {@code reserve} streams of the credit, which the others leave free.
     */
    static final class Credit extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<Runnable> control = new ArrayDeque<>();
        private final ArrayDeque<Runnable> data = new ArrayDeque<>();
        private final int reserve;
        private QuicChannel quic;
        private volatile int opened;
        private volatile int waitingCount;
        private volatile String closedBecause;

        Credit(int reserve) {
            this.reserve = reserve;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            quic = (QuicChannel) ctx.channel();
        }

        void submit(boolean isControl, Runnable open, CompletableFuture<?> failIfClosed) {
            quic.eventLoop().execute(() -> {
                if (!quic.isActive()) {
                    failIfClosed.completeExceptionally(new IllegalStateException("the connection is closed"));
                    return;
                }
                (isControl ? control : data).addLast(open);
                pump();
            });
        }

        void pump() {
            if (!quic.eventLoop().inEventLoop()) {
                quic.eventLoop().execute(this::pump);
                return;
            }
            while (quic.isActive()) {
                long allowed = quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL);
                Runnable next = !control.isEmpty() && allowed > 0 ? control.pollFirst()
                        : !data.isEmpty() && allowed > reserve ? data.pollFirst() : null;
                if (next == null) {
                    break;
                }
                opened++;
                next.run();
            }
            waitingCount = control.size() + data.size();
        }

        /** Why the connection closed, for reports: the peer's or our CONNECTION_CLOSE, else none was seen (idle timeout). */
        String closedBecause() {
            String why = closedBecause;
            return why != null ? why : "no CONNECTION_CLOSE seen (an idle timeout or a local close)";
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof QuicStreamLimitChangedEvent) {
                pump();
            } else if (event instanceof QuicConnectionCloseEvent close) {
                closedBecause = (close.isApplicationClose() ? "application" : "transport") + " close, code "
                        + close.error() + ", reason '" + new String(close.reason(), StandardCharsets.UTF_8) + "'";
            }
            ctx.fireUserEventTriggered(event);
        }
    }
}
