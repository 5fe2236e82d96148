package io.lanspread.bridge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.AsyncContext;
import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletResponse;

import io.lanspread.api.event.EventSubscriber;
import io.lanspread.api.event.EventSubscription;
import io.lanspread.api.event.HubEvent;

/**
 * One client's event stream: each hub event as an SSE message ({@code id}, {@code event}, one line of JSON
 * {@code data}), flushed at once. The hub calls it on its own threads, one call at a time; the container may
 * end the request at the same moment, hence the lock. A write that fails (the client left) ends the
 * subscription.
 */
final class SseStream implements EventSubscriber {

    /** How long a browser waits before reconnecting after the stream broke. */
    static final int RETRY_MILLIS = 2000;

    private final AsyncContext async;
    private final SseViews views;
    private boolean started;
    private boolean ended;
    private EventSubscription subscription;

    SseStream(AsyncContext async, SseViews views) {
        this.async = async;
        this.views = views;
    }

    synchronized void opened(EventSubscription subscription) {
        this.subscription = subscription;
        if (ended) {
            subscription.close();
        }
    }

    @Override
    public void onEvent(HubEvent event) throws IOException {
        String data = Json.write(views.of(event));
        write("id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + data + "\n\n");
    }

    @Override
    public void onHeartbeat() throws IOException {
        write(": heartbeat\n\n");
    }

    @Override
    public void onClose(String reason) {
        try {
            write("event: closed\ndata: " + Json.write(Views.error(reason)) + "\n\n");
        } catch (IOException e) {
            // the client is gone already
        }
        end();
    }

    /** The hub would not take the subscriber: a 503 when nothing was sent yet. */
    synchronized void refuse(String sentence) throws IOException {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        if (!response.isCommitted()) {
            response.reset();
            response.setHeader("Retry-After", "5");
            JsonError.send(response, 503, sentence);
        }
        end();
    }

    private synchronized void write(String text) throws IOException {
        if (ended) {
            throw new IOException("the event stream has ended");
        }
        try {
            ServletOutputStream out = async.getResponse().getOutputStream();
            if (!started) {
                started = true;
                out.write(("retry: " + RETRY_MILLIS + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | IllegalStateException e) {
            end();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (subscription != null) {
            subscription.close();
        }
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // the container completed the request already
        }
    }
}
