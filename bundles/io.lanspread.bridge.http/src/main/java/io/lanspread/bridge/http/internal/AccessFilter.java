package io.lanspread.bridge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the page and API to whoever holds this peer's token whenever the HTTP service listens on an address
 * other than loopback (nobody on the LAN may start downloads on someone else's machine unasked). Without the
 * token, an API request gets 401 JSON and a page request the login page. Scripts send
 * {@code Authorization: Bearer <token>}; a browser logs in once at {@code /login} and carries a session
 * cookie (the browser's {@code EventSource} cannot send headers). On loopback nothing changes.
 */
@Component(name = AccessFilter.PID, service = Filter.class, property = "service.ranking:Integer=1000")
@Designate(ocd = AccessFilter.Config.class)
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterAsyncSupported
@HttpWhiteboardFilterName("lanspread-access")
public final class AccessFilter implements Filter {

    static final String PID = "io.lanspread.bridge.http.access";
    /** Request attribute set once the token was checked: any Host name is then accepted. */
    static final String TOKEN_CHECKED = "io.lanspread.bridge.http.tokenChecked";
    static final String COOKIE = "lanspread_session";
    static final String UNAUTHORIZED = "This peer's page and API need its token, because it can be reached from"
            + " the network: log in at /login, or send the header 'Authorization: Bearer <token>'. The token is"
            + " in the file http-token of the peer's state folder.";

    private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);
    private static final int COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

    @ObjectClassDefinition(name = "lanspread HTTP access",
            description = "When the page and API need the peer's token")
    public @interface Config {
        @AttributeDefinition(description = "Folder of this peer's state; the token lives in its file http-token")
        String state_dir() default ".lanspread";

        @AttributeDefinition(description = "auto: the token is needed whenever the HTTP service listens on an "
                + "address other than loopback; always: also on loopback")
        String require_token() default "auto";
    }

    private final Map<Object, Collection<String>> endpoints = new ConcurrentHashMap<>();
    private volatile Path tokenFile;
    private volatile AccessPolicy.Mode mode;
    private TokenStore tokens; // guarded by this; read or made when first needed

    @Activate
    public AccessFilter(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        tokenFile = Path.of(config.state_dir().isBlank() ? ".lanspread" : config.state_dir()).resolve("http-token");
        mode = AccessPolicy.Mode.of(config.require_token());
    }

    /** The token, read from its file or made there the first time a request needs it. */
    private synchronized TokenStore tokens() throws IOException {
        Path file = tokenFile;
        if (tokens == null || !tokens.file().equals(file)) {
            tokens = TokenStore.open(file);
            LOG.info("this peer can be reached from the network: its page and API need the token in {}",
                    file.toAbsolutePath());
        }
        return tokens;
    }

    @Reference(service = HttpServiceRuntime.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedRuntime", unbind = "removeRuntime")
    void addRuntime(Map<String, Object> properties) {
        endpoints.put(properties.get("service.id"), endpointsOf(properties.get("osgi.http.endpoint")));
    }

    void updatedRuntime(Map<String, Object> properties) {
        addRuntime(properties);
    }

    void removeRuntime(Map<String, Object> properties) {
        endpoints.remove(properties.get("service.id"));
    }

    /** True when requests need the token now. */
    boolean tokenRequired() {
        if (mode == AccessPolicy.Mode.ALWAYS) {
            return true;
        }
        List<String> all = new ArrayList<>();
        endpoints.values().forEach(all::addAll);
        return AccessPolicy.offLoopback(all);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (!tokenRequired()) {
            chain.doFilter(request, response);
            return;
        }
        String path = pathOf(request);
        if (path.equals(AccessPolicy.LOGIN_API)) {
            login(request, response);
            return;
        }
        if (carriesToken(request)) {
            request.setAttribute(TOKEN_CHECKED, Boolean.TRUE);
            chain.doFilter(request, response);
            return;
        }
        if (AccessPolicy.open(request.getMethod(), path)) {
            chain.doFilter(request, response);
            return;
        }
        if (path.startsWith("/api/") || path.equals("/api")) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lanspread\"");
            JsonError.send(response, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHORIZED);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(AccessPolicy.LOGIN_PAGE);
    }

    private boolean carriesToken(HttpServletRequest request) throws IOException {
        TokenStore t = tokens();
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && t.isToken(authorization.substring(7))) {
            return true;
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (COOKIE.equals(c.getName()) && t.isSession(c.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code POST /api/login} with {@code token} as a form field (the login page) or the Authorization header
     * (scripts): sets the session cookie. The form is answered with a redirect, a script with 204 or 401.
     */
    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            JsonError.send(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Log in with POST.");
            return;
        }
        String origin = request.getHeader("Origin");
        String refusal = origin != null && !sameHost(origin, request.getHeader("Host"))
                ? "refused: a login from the web page at " + origin + " is not allowed" : null;
        boolean form = String.valueOf(request.getContentType()).startsWith("application/x-www-form-urlencoded");
        String candidate = form ? request.getParameter("token") : null;
        boolean ok = refusal == null && (carriesToken(request) || tokens().isToken(candidate));
        if (ok) {
            response.addHeader("Set-Cookie", COOKIE + "=" + tokens().session() + "; Path=/; Max-Age="
                    + COOKIE_MAX_AGE_SECONDS + "; HttpOnly; SameSite=Strict");
        } else {
            LOG.info("refused a login from {}", request.getRemoteAddr());
        }
        if (form) {
            response.setHeader("Cache-Control", "no-store");
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", ok ? "/" : AccessPolicy.LOGIN_PAGE + "?failed");
        } else if (ok) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            JsonError.send(response, HttpServletResponse.SC_UNAUTHORIZED,
                    refusal != null ? refusal : "That is not this peer's token.");
        }
    }

    private static boolean sameHost(String origin, String host) {
        try {
            java.net.URI uri = java.net.URI.create(origin);
            String hostPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && hostPort != null && hostPort.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String info = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = servletPath + info;
        return path.isEmpty() ? "/" : path;
    }

    private static Collection<String> endpointsOf(Object value) {
        List<String> list = new ArrayList<>();
        if (value instanceof String s) {
            list.add(s);
        } else if (value instanceof String[] a) {
            list.addAll(List.of(a));
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> list.add(String.valueOf(o)));
        }
        return list;
    }
}
