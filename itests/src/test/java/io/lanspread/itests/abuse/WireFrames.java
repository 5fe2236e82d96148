package io.lanspread.itests.abuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * lanspread's frames as docs/protocol.md describes them, written from the document alone (no lanspread
 * code): a big-endian uint32 length, then that many bytes of one UTF-8 JSON object with a {@code type};
 * {@code fileData}, {@code chunk} and {@code manifest} headers are followed by {@code size}, {@code length}
 * or {@code hashBytes} raw bytes.
 */
final class WireFrames {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int CHUNK_SIZE = 512 * 1024;
    /** The ALPN of protocol version 3. */
    static final String ALPN = "lanspread/3";
    /** A response frame's JSON may be this long (the document's limit). */
    static final int MAX_RESPONSE_FRAME = 16 * 1024 * 1024;

    private WireFrames() {
    }

    static ObjectNode request(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    static ObjectNode getGame(String gameId) {
        return request("getGame").put("gameId", gameId);
    }

    static ObjectNode getManifest(String gameId) {
        return request("getManifest").put("gameId", gameId);
    }

    static ObjectNode getGameFileData(String gameId, String path) {
        return request("getGameFileData").put("gameId", gameId).put("path", path);
    }

    /** {@code getChunks} of {@code chunks}: each {path, offset, length}. */
    static ObjectNode getChunks(String gameId, Iterable<Range> chunks) {
        ObjectNode r = request("getChunks").put("gameId", gameId);
        ArrayNode list = r.putArray("chunks");
        for (Range c : chunks) {
            list.addObject().put("path", c.path()).put("offset", c.offset()).put("length", c.length());
        }
        return r;
    }

    /** One chunk of a file. */
    record Range(String path, long offset, int length) {
    }

    /** The whole frame of a request: length prefix and JSON. */
    static ByteBuffer encode(JsonNode message) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer frame = ByteBuffer.allocate(4 + json.length);
        frame.putInt(json.length).put(json).flip();
        return frame;
    }

    /** How many raw bytes follow a response header of this type. */
    static long bodyLength(JsonNode header) {
        return switch (header.path("type").asText()) {
            case "fileData" -> header.path("size").asLong();
            case "chunk" -> header.path("length").asLong();
            case "manifest" -> header.path("hashBytes").asLong();
            default -> 0;
        };
    }
}
