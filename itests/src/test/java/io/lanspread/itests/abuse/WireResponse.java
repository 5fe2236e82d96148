package io.lanspread.itests.abuse;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What came back on one request stream before it ended: its frames in order, each header with the
 * SHA-256 of the raw bytes that followed it (and the bytes themselves where they were kept), or the
 * {@code problem} that ended the stream early (reset, connection gone, a torn frame, bytes after FIN).
 */
record WireResponse(List<Part> parts, String problem, long bodyBytes) {

    /** One response frame and the raw bytes after it. */
    record Part(JsonNode header, long bodyLength, byte[] sha256, byte[] body) {
        String type() {
            return header.path("type").asText();
        }
    }

    boolean ok() {
        return problem == null;
    }
}
