package io.lanspread.bridge.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

/**
 * The peer the user chose to trust for a download: {@code from} in the query ({@code ?from=<peerId>}) or
 * in a JSON body ({@code {"from": "<peerId>"}}), or both when they agree. Absent, null or empty means no
 * choice: the holders vote.
 */
final class ChosenPeer {

    static final String FIELD = "from";
    static final int MAX_BODY_BYTES = 8192;

    private ChosenPeer() {
    }

    /** The chosen peer id, or null when the user chose none. */
    static String of(HttpServletRequest request) throws IOException {
        String fromQuery = fromQuery(request.getQueryString());
        String fromBody = fromBody(body(request));
        if (fromQuery != null && fromBody != null && !fromQuery.equals(fromBody)) {
            throw new ApiException(400, "the query names peer " + fromQuery + " and the body peer " + fromBody
                    + "; name one");
        }
        String chosen = fromQuery != null ? fromQuery : fromBody;
        return chosen == null ? null : ApiPath.id("peer", chosen);
    }

    static String fromQuery(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        String chosen = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!name.equals(FIELD)) {
                continue;
            }
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (value.isEmpty()) {
                continue;
            }
            if (chosen != null && !chosen.equals(value)) {
                throw new ApiException(400, "the query names more than one peer to download from");
            }
            chosen = value;
        }
        return chosen;
    }

    static String fromBody(String body) {
        if (body.isBlank()) {
            return null;
        }
        if (!(JsonReader.parse(body) instanceof Map<?, ?> object)) {
            throw new ApiException(400, "the request body must be a JSON object such as {\"from\": \"<peerId>\"}");
        }
        Object value = object.get(FIELD);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String peerId)) {
            throw new ApiException(400, "\"" + FIELD + "\" must be a peer id in quotes");
        }
        return peerId.isEmpty() ? null : peerId;
    }

    private static String body(HttpServletRequest request) throws IOException {
        InputStream in = request.getInputStream();
        if (in == null) {
            return "";
        }
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "the request body is not valid UTF-8");
        }
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed percent-encoding in the query");
        }
    }
}
