package io.lanspread.bridge.http.internal;

import java.net.URI;
import java.util.Locale;

/**
 * Keeps web pages the user happens to have open from driving the API. A browser sends {@code Origin}
 * with every cross-site POST or DELETE: it must name this very server. And a page that rebinds its own
 * DNS name to 127.0.0.1 arrives with that name in {@code Host}: only an IP literal or {@code localhost}
 * is accepted there. Tools that are not browsers (curl, the UI's own scripts, tests) send no Origin.
 */
final class OriginGuard {

    private OriginGuard() {
    }

    /** Why the request is refused, or {@code null} when it may proceed. */
    static String refusal(String host, String origin) {
        return refusal(host, origin, false);
    }

    /**
     * @param anyHost true when the request proved the peer's token (the peer is reachable from the network
     *                under whatever name the LAN gives it): only the Origin is checked then
     */
    static String refusal(String host, String origin, boolean anyHost) {
        String hostName = hostName(host);
        if (!anyHost && hostName != null && !isIpLiteral(hostName) && !hostName.equals("localhost")) {
            return "refused: Host " + host + " is not an address of this peer";
        }
        if (origin != null && !origin.equals("null")) {
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                return "refused: malformed Origin";
            }
            String originHostPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            if (host == null || uri.getHost() == null || !originHostPort.equalsIgnoreCase(host)) {
                return "refused: requests from the web page at " + origin + " are not allowed";
            }
        } else if ("null".equals(origin)) {
            return "refused: requests from an opaque origin are not allowed";
        }
        return null;
    }

    private static String hostName(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.lastIndexOf(':');
        return colon > 0 ? h.substring(0, colon) : h;
    }

    private static boolean isIpLiteral(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            return true;
        }
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
