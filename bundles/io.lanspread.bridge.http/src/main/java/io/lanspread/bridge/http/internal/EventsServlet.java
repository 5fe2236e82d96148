package io.lanspread.bridge.http.internal;

import java.io.IOException;
import java.util.function.Supplier;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.lanspread.api.control.PeerControl;
import io.lanspread.api.event.EventHub;
import io.lanspread.api.event.EventSubscription;

/**
 * {@code GET /api/events}: the runtime's events as Server-Sent Events. A client that reconnects sends the id
 * of the last event it saw ({@code Last-Event-ID}, which browsers' {@code EventSource} send by themselves, or
 * {@code ?lastEventId=}) and gets every event after it that the hub still holds, or else a {@code snapshot}
 * first. The request is asynchronous: no HTTP thread waits while a client listens; the hub's own threads
 * write each event, and a heartbeat comment finds clients that went away.
 * <p>
 * Like the API servlet, it looks its services up per request, so it comes up whatever the start-up order.
 */
@Component(name = "io.lanspread.bridge.http.events", service = Servlet.class,
        reference = {
            @Reference(name = EventsServlet.HUB, service = EventHub.class, cardinality = ReferenceCardinality.OPTIONAL,
                    policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY),
            @Reference(name = ApiServlet.CONTROL, service = PeerControl.class,
                    cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
                    policyOption = ReferencePolicyOption.GREEDY)})
@HttpWhiteboardServletPattern("/api/events")
@HttpWhiteboardServletName("lanspread-events")
@HttpWhiteboardServletAsyncSupported
public final class EventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String HUB = "hub";
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private final transient Supplier<EventHub> hub;
    private final transient Supplier<PeerControl> control;

    @Activate
    public EventsServlet(ComponentContext context) {
        this(() -> (EventHub) context.locateService(HUB), () -> (PeerControl) context.locateService(ApiServlet.CONTROL));
    }

    EventsServlet(Supplier<EventHub> hub, Supplier<PeerControl> control) {
        this.hub = hub;
        this.control = control;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EventHub events = admit(request, response);
        if (events == null) {
            return;
        }
        streamHeaders(response);
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the stream lasts as long as the client listens; heartbeats find dead clients
        SseStream stream = new SseStream(async, new SseViews(control, request.getLocalPort()));
        EventSubscription subscription;
        try {
            subscription = events.subscribe(lastEventId(request), stream);
        } catch (IllegalStateException e) {
            stream.refuse(e.getMessage());
            return;
        }
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                subscription.close();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                subscription.close();
            }

            @Override
            public void onError(AsyncEvent event) {
                subscription.close();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        stream.opened(subscription);
    }

    /** HEAD answers like GET, without a body and without subscribing. */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (admit(request, response) != null) {
            streamHeaders(response);
            response.setStatus(HttpServletResponse.SC_OK);
        }
    }

    /** The hub, or null after an error response was sent. */
    private EventHub admit(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String refusal = OriginGuard.refusal(request.getHeader("Host"), request.getHeader("Origin"),
                request.getAttribute(AccessFilter.TOKEN_CHECKED) != null);
        if (refusal != null) {
            JsonError.send(response, 403, refusal);
            return null;
        }
        EventHub events = hub.get();
        if (events == null) {
            response.setHeader("Retry-After", "1");
            JsonError.send(response, 503, ApiServlet.STARTING);
            return null;
        }
        return events;
    }

    private static void streamHeaders(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold events back
    }

    private static String lastEventId(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        String param = request.getParameter("lastEventId");
        return param == null || param.isBlank() ? null : param.trim();
    }
}
