package io.lanspread.discovery.staticlist.internal;

import java.util.Locale;

/**
 * One configured peer: a host name or literal address and a port, not yet resolved.
 *
 * @param host host name, IPv4 literal or IPv6 literal (without brackets)
 * @param port UDP port of the peer's QUIC server
 */
record PeerAddress(String host, int port) {

    /**
     * Parses {@code host:port}, {@code [v6]:port}.
     *
     * @throws IllegalArgumentException with a message fit for the log when the entry is malformed
     */
    static PeerAddress parse(String entry) {
        String text = entry.trim();
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [ipv6]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("missing :port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("IPv6 addresses need brackets: [addr]:port");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host");
        }
        if (!host.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':'
                || c == '_' || c == '%')) {
            throw new IllegalArgumentException("invalid characters in host '" + host + "'");
        }
        return new PeerAddress(host.toLowerCase(Locale.ROOT), parsePort(port));
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid port '" + text + "'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
