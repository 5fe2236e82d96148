package io.lanspread.bridge.http.internal;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;

/**
 * When the page and API need the token, and what may be had without it: nothing but the login page, its
 * files and the login itself.
 */
final class AccessPolicy {

    /** When the token is required. */
    enum Mode {
        /** Whenever the HTTP service listens on an address other than loopback. */
        AUTO,
        /** Always, even on loopback. */
        ALWAYS;

        static Mode of(String name) {
            return name != null && name.trim().equalsIgnoreCase("always") ? ALWAYS : AUTO;
        }
    }

    static final String LOGIN_PAGE = "/login";
    /** The files the login page uses; the main page's own scripts need the token like everything else. */
    static final java.util.Set<String> LOGIN_FILES = java.util.Set.of("/assets/style.css", "/assets/login.js",
            "/assets/icon.svg");
    static final String LOGIN_API = "/api/login";

    private AccessPolicy() {
    }

    /**
     * True when an endpoint the HTTP service reports ({@code osgi.http.endpoint}, such as
     * {@code http://0.0.0.0:8181/} or {@code http://192.168.1.5:42421/}) is reachable from other machines.
     */
    static boolean offLoopback(Collection<String> endpoints) {
        for (String endpoint : endpoints) {
            String host;
            try {
                host = URI.create(endpoint.trim()).getHost();
            } catch (IllegalArgumentException e) {
                return true; // cannot tell: be safe
            }
            if (host == null || !isLoopback(host)) {
                return true;
            }
        }
        return false;
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /** True for what is served without the token: the login page and the files it uses. */
    static boolean open(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        return read && (path.equals(LOGIN_PAGE) || LOGIN_FILES.contains(path));
    }
}
