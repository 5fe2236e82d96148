package io.lanspread.bridge.http.paxweb.internal;

import java.util.Locale;

/**
 * The sentence a user reads for an error Jetty raises itself. Jetty's own reasons are terse ("No Host",
 * "Ambiguous URI empty segment") or, for a failure in the servlet layer, may be an exception's text: only
 * reasons known here are turned into their sentence, anything else gets the sentence for its status.
 */
final class ErrorTexts {

    private ErrorTexts() {
    }

    /** The sentence for a request Jetty refused with {@code status} and its {@code reason} (may be null). */
    static String forRefusal(int status, String reason) {
        String r = reason == null ? "" : reason.trim();
        String lower = r.toLowerCase(Locale.ROOT);
        if (status == 400) {
            if (lower.startsWith("ambiguous uri")) {
                return "the request path is ambiguous (an encoded dot segment such as %2e%2e, an empty segment"
                        + " such as //, an encoded separator or a path parameter); send the plain path";
            }
            if (lower.equals("no host")) {
                return "the request has no Host header, which HTTP/1.1 requires";
            }
            if (lower.contains("duplicate host")) {
                return "the request has more than one Host header";
            }
            if (lower.equals("mismatched authority")) {
                return "the host in the request line does not match the Host header";
            }
            if (lower.contains("content-length") && lower.contains("transfer-encoding")) {
                return "the request has both a Content-Length and a Transfer-Encoding header; send only one";
            }
            if (lower.contains("multiple content-length") || lower.contains("duplicate content-length")) {
                return "the request has more than one Content-Length header";
            }
            if (lower.contains("content-length")) {
                return "the Content-Length header is not a valid length";
            }
            if (lower.contains("transfer-encoding")) {
                return "the request's Transfer-Encoding is not supported; only chunked is";
            }
            if (lower.startsWith("illegal character")) {
                return "the request has a character that HTTP does not allow there (" + r + ")";
            }
            if (lower.contains("line folding")) {
                return "the request has a folded header line, which HTTP no longer allows";
            }
            if (lower.equals("no uri")) {
                return "the request line has no path";
            }
        }
        return forStatus(status);
    }

    /** The sentence for an error status when nothing more precise is known. */
    static String forStatus(int status) {
        return switch (status) {
        case 400 -> "the request is malformed: its request line or a header is not valid HTTP (for example"
                + " a bad %-escape, a NUL byte, invalid UTF-8 or a path above the root)";
        case 404 -> "no such resource";
        case 405 -> "this method is not allowed here";
        case 408 -> "the request did not arrive in time";
        case 411 -> "the request needs a Content-Length header";
        case 413 -> "the request body is too large";
        case 414 -> "the request line is too long: the path and query must be shorter";
        case 415 -> "the request body has a media type this server does not read";
        case 417 -> "the request's Expect header asks for something this server does not do";
        case 426 -> "this server speaks HTTP/1.1 only (no HTTP/2 without TLS)";
        case 431 -> "the request headers are too large: send fewer or shorter headers";
        case 500 -> "the server failed to answer this request";
        case 501 -> "this server does not implement that request";
        case 503 -> "the server cannot answer right now; try again shortly";
        case 505 -> "this HTTP version is not supported; use HTTP/1.1";
        default -> "the request failed (HTTP status " + status + ")";
        };
    }
}
