package io.lanspread.transport.quic.internal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * Opens a client connection's request streams only within the peer's stream credit
 * ({@code initial_max_streams_bidi} and its later {@code MAX_STREAMS} frames); requests beyond it wait here,
 * in a bounded queue per connection, until credit comes back. Opening a stream without credit would fail
 * with {@code STREAM_LIMIT_ERROR} and leave a gap in the stream ids that poisons the connection.
 * <p>
 * The handler of the client's {@link QuicChannel}: it learns of new credit from
 * {@link QuicStreamLimitChangedEvent}, and fails what still waits when the connection closes. Its state is
 * touched on the connection's event loop only; {@link #submit} may be called from any thread. Control
 * requests (ping, hello, notices) wait in a queue of their own that goes first, so that a peer busy with
 * many requests still answers its liveness checks. A waiting request keeps its own timeout: once settled
 * it leaves the queue.
 */
final class StreamCredit extends ChannelInboundHandlerAdapter {

    private final InetSocketAddress peer;
    private final int maxWaiting;
    private final ArrayDeque<Waiting> control = new ArrayDeque<>();
    private final ArrayDeque<Waiting> data = new ArrayDeque<>();
    private QuicChannel quic;
    private EventLoop loop;
    private boolean closed;

    /** @param maxWaiting requests that may wait per queue; beyond it a request fails at once */
    StreamCredit(InetSocketAddress peer, int maxWaiting) {
        this.peer = peer;
        this.maxWaiting = Math.max(1, maxWaiting);
    }

    private static final class Waiting {
        final Completion<?> completion;
        final boolean control;
        final Runnable open;
        boolean queued; // event loop only

        Waiting(Completion<?> completion, boolean control, Runnable open) {
            this.completion = completion;
            this.control = control;
            this.open = open;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        quic = (QuicChannel) ctx.channel();
        loop = quic.eventLoop();
    }

    /**
     * Runs {@code open} on the connection's event loop as soon as the peer allows one more stream; it must
     * open exactly one bidirectional stream (or settle the request). Fails the request when the queue is
     * full or the connection is gone.
     *
     * @param control whether this is a control request, which goes before the others
     */
    void submit(Completion<?> completion, boolean control, Runnable open) {
        Waiting waiting = new Waiting(completion, control, open);
        try {
            loop.execute(() -> offer(waiting));
        } catch (RejectedExecutionException e) {
            completion.fail(new PeerRequestException(Reason.UNREACHABLE, "the client is stopped", e));
        }
    }

    private void offer(Waiting waiting) {
        Completion<?> completion = waiting.completion;
        if (completion.isSettled()) {
            return;
        }
        if (closed || !quic.isActive()) {
            completion.fail(new PeerRequestException(Reason.UNREACHABLE, PeerClose.describe(quic,
                    "the connection to " + peer + " closed")));
            return;
        }
        ArrayDeque<Waiting> queue = waiting.control ? control : data;
        if (queue.isEmpty() && (waiting.control || control.isEmpty()) && credit() > 0) {
            waiting.open.run();
            return;
        }
        if (queue.size() >= maxWaiting) {
            completion.fail(new PeerRequestException(Reason.UNREACHABLE, "too many requests to "
                    + peer + ": " + queue.size()
                    + " already wait for a stream (the peer allows " + quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL)
                    + " more now)"));
            return;
        }
        waiting.queued = true;
        queue.addLast(waiting);
        completion.onSettled(() -> leave(waiting)); // a timeout ends the wait
        pump();
    }

    /** A settled request leaves its queue (on the event loop). */
    private void leave(Waiting waiting) {
        if (loop.inEventLoop()) {
            if (waiting.queued) {
                waiting.queued = false;
                (waiting.control ? control : data).remove(waiting);
            }
            return;
        }
        try {
            loop.execute(() -> leave(waiting));
        } catch (RejectedExecutionException e) {
            // the event loop is gone, and the queues with it
        }
    }

    /** Opens streams for waiting requests while the peer allows more (event loop). */
    void pump() {
        while (!closed && credit() > 0) {
            Waiting next = control.pollFirst();
            if (next == null) {
                next = data.pollFirst();
            }
            if (next == null) {
                return;
            }
            next.queued = false;
            if (!next.completion.isSettled()) {
                next.open.run();
            }
        }
    }

    /** Streams the peer allows this client to open now (Netty counts the ones it opened since the last update). */
    private long credit() {
        return quic.isActive() ? quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) : 0;
    }

    /** Requests waiting for a stream (event loop; for tests). */
    int waiting() {
        return control.size() + data.size();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof QuicStreamLimitChangedEvent) {
            pump();
        } else if (event instanceof QuicConnectionCloseEvent close) {
            PeerClose.closed(quic, peer, close);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        failAll(control);
        failAll(data);
        ctx.fireChannelInactive();
    }

    private void failAll(ArrayDeque<Waiting> queue) {
        for (Waiting waiting; (waiting = queue.pollFirst()) != null;) {
            waiting.queued = false;
            waiting.completion.fail(new PeerRequestException(Reason.UNREACHABLE, PeerClose.describe(quic,
                    "the connection to " + peer + " closed before a stream was free")));
        }
    }
}
