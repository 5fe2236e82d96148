package io.lanspread.bridge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.control.DownloadConflictException;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.transport.PeerRequestException;

/**
 * The JSON API a UI uses: {@code /api/status}, {@code /api/peers}, {@code /api/games[/{id}[/download]]},
 * {@code /api/downloads[/{id}[/resume]]}. Every answer is JSON; errors are {@code {"error": "..."}}.
 * <p>
 * The control service is an optional, dynamic reference that the servlet looks up (DS lookup strategy)
 * when a request comes, never while it is being instantiated: SCR gives up after a few seconds
 * ({@code ds.lock.timeout.milliseconds}) on a service that another thread is still activating, and the
 * HTTP whiteboard never retries a servlet whose instantiation failed, nor does SCR reliably bind such a
 * service later. So the servlet comes up whatever the start-up order and however slow the orchestrator
 * is, answers 503 {@code {"error": "lanspread is still starting"}} until the control service can be had,
 * and serves once it can.
 */
@Component(name = "io.lanspread.bridge.http", service = Servlet.class,
        reference = @Reference(name = ApiServlet.CONTROL, service = PeerControl.class,
                cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
                policyOption = ReferencePolicyOption.GREEDY))
@HttpWhiteboardServletPattern("/api/*")
@HttpWhiteboardServletName("lanspread-api")
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final String JSON = "application/json; charset=utf-8";
    /** How long a request waits for a peer (fetching a file tree) before answering 502. */
    private static final long PEER_WAIT_SECONDS = 60;

    static final String STARTING = "lanspread is still starting";
    static final String CONTROL = "control";

    /** Finds the control service when a request comes; null while there is none (yet). */
    private final transient Supplier<PeerControl> lookup;

    @Activate
    public ApiServlet(ComponentContext context) {
        this(() -> (PeerControl) context.locateService(CONTROL));
    }

    ApiServlet(Supplier<PeerControl> lookup) {
        this.lookup = lookup;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Reply reply;
        String refusal = OriginGuard.refusal(request.getHeader("Host"), request.getHeader("Origin"),
                request.getAttribute(AccessFilter.TOKEN_CHECKED) != null);
        if (refusal != null) {
            send(request, response, new Reply(403, Views.error(refusal)));
            return;
        }
        PeerControl control = lookup.get(); // one service for the whole request
        if (control == null) {
            response.setHeader("Retry-After", "1");
            send(request, response, new Reply(503, Views.error(STARTING)));
            return;
        }
        try {
            reply = route(control, request.getMethod(), ApiPath.segments(remainder(request)), request);
        } catch (ApiException e) {
            reply = error(e);
        } catch (RuntimeException e) {
            reply = error(map(e));
        }
        send(request, response, reply);
    }

    private record Reply(int status, Object body, String allow) {
        Reply(int status, Object body) {
            this(status, body, null);
        }
    }

    private Reply route(PeerControl control, String method, List<String> path, HttpServletRequest request) {
        String first = path.isEmpty() ? "" : path.get(0);
        switch (path.size()) {
        case 1:
            switch (first) {
            case "status":
                allow(method, "GET");
                return new Reply(200, Views.status(control.status(), request.getLocalPort()));
            case "peers":
                allow(method, "GET");
                return new Reply(200, Views.all(control.peers(), Views::peer));
            case "games":
                allow(method, "GET");
                return new Reply(200, Views.all(control.games(), Views::game));
            case "downloads":
                allow(method, "GET");
                return new Reply(200, Views.all(control.downloads(), Views::download));
            default:
                break;
            }
            break;
        case 2:
            if (first.equals("games")) {
                allow(method, "GET");
                return new Reply(200, Views.details(await(control.game(ApiPath.id("game", path.get(1))))));
            }
            if (first.equals("downloads")) {
                allow(method, "DELETE");
                return deleteDownload(control, ApiPath.id("download", path.get(1)));
            }
            break;
        case 3:
            if (first.equals("games") && path.get(2).equals("download")) {
                allow(method, "POST");
                String gameId = ApiPath.id("game", path.get(1));
                String fromPeerId = chosenPeer(request);
                return new Reply(202, Views.download(await(control.download(gameId, fromPeerId))));
            }
            if (first.equals("downloads") && path.get(2).equals("resume")) {
                allow(method, "POST");
                return resumeDownload(control, ApiPath.id("download", path.get(1)));
            }
            break;
        default:
            break;
        }
        throw new ApiException(404, "no such resource: /api" + (path.isEmpty() ? "" : "/" + String.join("/", path)));
    }

    /** Cancels a download that has not ended, or forgets one that has; the list no longer shows it. */
    private static Reply deleteDownload(PeerControl control, String id) {
        if (!control.cancel(id) && !control.remove(id)) {
            throw new ApiException(404, "no download " + id);
        }
        return new Reply(204, null);
    }

    private static Reply resumeDownload(PeerControl control, String id) {
        if (!control.resume(id)) {
            DownloadStatus existing = find(control, id).orElseThrow(() -> new ApiException(404, "no download " + id));
            throw new ApiException(409, "download " + id + " is " + existing.state().name()
                    + "; only an interrupted download can be resumed");
        }
        return find(control, id).map(s -> new Reply(202, Views.download(s))).orElseGet(() -> new Reply(204, null));
    }

    private static Optional<DownloadStatus> find(PeerControl control, String downloadId) {
        return control.downloads().stream().filter(s -> s.id().equals(downloadId)).findFirst();
    }

    private static String chosenPeer(HttpServletRequest request) {
        try {
            return ChosenPeer.of(request);
        } catch (IOException e) {
            throw new ApiException(400, "the request body could not be read");
        }
    }

    /** Refuses any method but {@code allowed}; a GET route answers HEAD too (same status and headers, no body). */
    private static void allow(String method, String allowed) {
        boolean headOfGet = allowed.equals("GET") && method.equals("HEAD");
        if (!allowed.equals(method) && !headOfGet) {
            String methods = allowed.equals("GET") ? "GET, HEAD" : allowed;
            throw new ApiException(405, "method " + method + " is not allowed here; use "
                    + methods.replace(", ", " or "), methods);
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(PEER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(502, "no answer from the peers within " + PEER_WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    /** The status for a failure of the runtime. */
    private static ApiException map(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof GameNotFoundException) {
            return new ApiException(404, e.getMessage());
        }
        if (e instanceof DownloadConflictException) {
            return new ApiException(409, e.getMessage());
        }
        if (e instanceof PeerRequestException p) {
            LOG.debug("Peer request failed", p);
            return new ApiException(502, "peer request failed (" + p.reason() + "): " + p.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return new ApiException(400, String.valueOf(e.getMessage()));
        }
        LOG.warn("Request failed", e);
        return new ApiException(500, "internal error: "
                + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    }

    private static Reply error(ApiException e) {
        return new Reply(e.status(), Views.error(e.getMessage()), e.allow());
    }

    /** The undecoded path after {@code /api}; the container decodes getPathInfo(), which hides %2F. */
    private static String remainder(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String prefix = nullToEmpty(request.getContextPath()) + nullToEmpty(request.getServletPath());
        if (uri != null && uri.startsWith(prefix)) {
            return uri.substring(prefix.length());
        }
        return nullToEmpty(request.getPathInfo());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Writes the reply; to a HEAD request only its status and headers, Content-Length included. */
    private static void send(HttpServletRequest request, HttpServletResponse response, Reply reply)
            throws IOException {
        response.setStatus(reply.status());
        response.setHeader("Cache-Control", "no-store");
        if (reply.allow() != null) {
            response.setHeader("Allow", reply.allow());
        }
        if (reply.body() == null) {
            return;
        }
        byte[] body = Json.write(reply.body()).getBytes(StandardCharsets.UTF_8);
        response.setContentType(JSON);
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
