package io.lanspread.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;

/**
 * Encodes messages into frames (4-byte big-endian payload length + UTF-8 JSON) and decodes them, strictly:
 * a frame over the limit, a truncated frame, a payload that is not strict UTF-8 (see {@link #checkUtf8}),
 * invalid JSON, an unknown {@code type} (including one of a newer protocol version than the connection's) or a
 * missing or invalid field is a {@link ProtocolException}. Unknown extra fields are ignored. Thread-safe.
 */
public final class MessageCodec {

    private final ObjectMapper mapper;

    public MessageCodec() {
        JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    // ---------------------------------------------------------------- framing

    /**
     * Checks a frame's length prefix.
     *
     * @return the payload length
     * @throws ProtocolException when it is negative, zero or above {@code maxPayload}
     */
    public static int checkFrameLength(int declaredLength, int maxPayload) throws ProtocolException {
        if (declaredLength <= 0) {
            throw new ProtocolException("invalid frame length " + Integer.toUnsignedString(declaredLength));
        }
        if (declaredLength > maxPayload) {
            throw new ProtocolException("frame of " + declaredLength + " bytes exceeds the limit of " + maxPayload);
        }
        return declaredLength;
    }

    /** True for exactly 64 lower-case hex digits. */
    public static boolean isSha256Hex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- encoding

    /**
     * The whole frame of a request.
     *
     * @throws IllegalArgumentException when the JSON would exceed {@link Protocol#MAX_REQUEST_FRAME}
     */
    public byte[] encode(Request request) {
        ObjectNode n = mapper.createObjectNode();
        if (request instanceof Request.Ping) {
            n.put("type", "ping");
        } else if (request instanceof Request.Hello r) {
            n.put("type", "hello").put("name", r.name()).put("listenPort", r.listenPort())
                    .put("libraryRevision", r.libraryRevision());
        } else if (request instanceof Request.LibraryChanged r) {
            n.put("type", "libraryChanged").put("libraryRevision", r.libraryRevision());
        } else if (request instanceof Request.Goodbye) {
            n.put("type", "goodbye");
        } else if (request instanceof Request.PartyProof r) {
            n.put("type", "partyProof").put("proof", r.proof());
        } else if (request instanceof Request.ListGames) {
            n.put("type", "listGames");
        } else if (request instanceof Request.GetGame r) {
            n.put("type", "getGame").put("gameId", r.gameId());
        } else if (request instanceof Request.GetManifest r) {
            n.put("type", "getManifest").put("gameId", r.gameId());
        } else if (request instanceof Request.GetGameFileData r) {
            n.put("type", "getGameFileData").put("gameId", r.gameId()).put("path", r.path());
        } else if (request instanceof Request.GetGameFileChunk r) {
            n.put("type", "getGameFileChunk").put("gameId", r.gameId()).put("path", r.path())
                    .put("offset", r.offset()).put("length", r.length());
        } else if (request instanceof Request.GetChunks r) {
            n.put("type", "getChunks").put("gameId", r.gameId());
            if (r.version() != null) {
                n.put("version", r.version());
            }
            ArrayNode chunks = n.putArray("chunks");
            for (Request.GetChunks.Range range : r.chunks()) {
                chunks.addObject().put("path", range.path()).put("offset", range.offset()).put("length", range.length());
            }
        } else if (request instanceof Request.GetHave r) {
            n.put("type", "getHave").put("gameId", r.gameId()).put("version", r.version())
                    .put("manifestSha256", r.manifestSha256()).put("revision", r.revision());
        } else {
            throw new IllegalArgumentException("unknown request " + request);
        }
        return frame(n, Protocol.MAX_REQUEST_FRAME);
    }

    /**
     * The whole frame of a response (without the raw bytes that follow a file, chunk or manifest header).
     *
     * @throws IllegalArgumentException when the JSON would exceed {@link Protocol#MAX_RESPONSE_FRAME}
     */
    public byte[] encode(Response response) {
        ObjectNode n = mapper.createObjectNode();
        if (response instanceof Response.Pong r) {
            n.put("type", "pong").put("peerId", r.peerId()).put("name", r.name())
                    .put("protocolVersion", r.protocolVersion()).put("libraryRevision", r.libraryRevision());
        } else if (response instanceof Response.Ack) {
            n.put("type", "ack");
        } else if (response instanceof Response.Games r) {
            n.put("type", "games");
            ArrayNode games = n.putArray("games");
            for (Game g : r.games()) {
                games.addObject().put("id", g.id()).put("name", g.name()).put("version", g.version()).put("size", g.size());
            }
        } else if (response instanceof Response.GameFiles r) {
            n.put("type", "gameFiles").put("gameId", r.gameId());
            ArrayNode files = n.putArray("files");
            for (GameFile f : r.files()) {
                files.addObject().put("path", f.path()).put("size", f.size()).put("directory", f.directory());
            }
        } else if (response instanceof Response.FileData r) {
            n.put("type", "fileData").put("path", r.path()).put("size", r.size());
        } else if (response instanceof Response.Chunk r) {
            n.put("type", "chunk").put("path", r.path()).put("offset", r.offset()).put("length", r.length());
            if (r.sha256() != null) {
                n.put("sha256", r.sha256());
            }
        } else if (response instanceof Response.Manifest r) {
            n.put("type", "manifest").put("gameId", r.gameId()).put("version", r.version())
                    .put("chunkSize", r.chunkSize());
            ArrayNode files = n.putArray("files");
            for (Response.ManifestFile f : r.files()) {
                ObjectNode file = files.addObject().put("path", f.path()).put("size", f.size())
                        .put("directory", f.directory());
                if (f.sha256() != null) {
                    file.put("sha256", f.sha256());
                }
            }
            n.put("hashBytes", r.hashBytes());
        } else if (response instanceof Response.Have r) {
            n.put("type", "have").put("gameId", r.gameId()).put("version", r.version()).put("revision", r.revision())
                    .put("chunks", r.chunks()).put("complete", r.complete());
            java.util.BitSet held = r.held();
            if (held != null) {
                n.put("bits", HaveBits.encode(held));
            }
        } else if (response instanceof Response.PartyProof r) {
            n.put("type", "partyProof").put("proof", r.proof());
        } else if (response instanceof Response.GameNotFound r) {
            n.put("type", "gameNotFound").put("gameId", r.gameId());
        } else if (response instanceof Response.Error r) {
            n.put("type", "error").put("code", r.code().name()).put("message", r.message());
        } else {
            throw new IllegalArgumentException("unknown response " + response);
        }
        return frame(n, Protocol.MAX_RESPONSE_FRAME);
    }

    private byte[] frame(ObjectNode node, int maxPayload) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + node.get("type"), e);
        }
        if (json.length > maxPayload) {
            throw new IllegalArgumentException("frame of " + json.length + " bytes exceeds the limit of " + maxPayload);
        }
        return ByteBuffer.allocate(Protocol.LENGTH_PREFIX_BYTES + json.length).putInt(json.length).put(json).array();
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes exactly one request frame (prefix + payload) and nothing more.
     *
     * @throws ProtocolException when the frame is truncated, too long, followed by extra bytes or invalid
     */
    public Request decodeRequestFrame(byte[] frame) throws ProtocolException {
        ByteBuffer buf = ByteBuffer.wrap(frame);
        Request r = decodeRequestFrame(buf);
        if (buf.hasRemaining()) {
            throw new ProtocolException(buf.remaining() + " unexpected bytes after the request frame");
        }
        return r;
    }

    /** Decodes one request frame from the buffer's position and advances the position past it. */
    public Request decodeRequestFrame(ByteBuffer buf) throws ProtocolException {
        return readFrame(buf, Protocol.MAX_REQUEST_FRAME, this::decodeRequest);
    }

    /**
     * Decodes one response frame from the buffer's position and advances the position past it; the raw
     * bytes of a file, chunk or manifest, if any, follow at the new position.
     */
    public Response decodeResponseFrame(ByteBuffer buf) throws ProtocolException {
        return decodeResponseFrame(buf, Protocol.VERSION);
    }

    /** As {@link #decodeResponseFrame(ByteBuffer)}, as protocol {@code version} has it. */
    public Response decodeResponseFrame(ByteBuffer buf, int version) throws ProtocolException {
        return readFrame(buf, Protocol.MAX_RESPONSE_FRAME, json -> decodeResponse(json, version));
    }

    /** Decodes a request's JSON payload (the bytes after the length prefix) in the newest protocol version. */
    public Request decodeRequest(byte[] json) throws ProtocolException {
        return decodeRequest(json, Protocol.VERSION);
    }

    /**
     * Decodes a request's JSON payload as protocol {@code version} has it: a request of a newer version
     * (a {@code getManifest} on a version 1 connection) is unknown there.
     */
    public Request decodeRequest(byte[] json, int version) throws ProtocolException {
        Request request = decodeAnyRequest(json, version);
        if (request.sinceVersion() > version) {
            throw new ProtocolException("request type '" + typeName(request) + "' does not exist in protocol " + version);
        }
        return request;
    }

    private static String typeName(Request request) {
        String simple = request.getClass().getSimpleName();
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    private Request decodeAnyRequest(byte[] json, int version) throws ProtocolException {
        if (json.length > Protocol.MAX_REQUEST_FRAME) {
            throw new ProtocolException("request of " + json.length + " bytes exceeds the limit");
        }
        JsonNode n = parse(json);
        String type = text(n, "type");
        switch (type) {
            case "ping":
                return new Request.Ping();
            case "hello":
                return new Request.Hello(text(n, "name"), port(n, "listenPort"), nonNegativeLong(n, "libraryRevision"));
            case "libraryChanged":
                return new Request.LibraryChanged(nonNegativeLong(n, "libraryRevision"));
            case "goodbye":
                return new Request.Goodbye();
            case "partyProof":
                return new Request.PartyProof(sha256(n, "proof"));
            case "listGames":
                return new Request.ListGames();
            case "getGame":
                return new Request.GetGame(id(n, "gameId"));
            case "getManifest":
                return new Request.GetManifest(id(n, "gameId"));
            case "getGameFileData":
                return new Request.GetGameFileData(id(n, "gameId"), id(n, "path"));
            case "getGameFileChunk":
                long offset = nonNegativeLong(n, "offset");
                int length = chunkLength(n, offset);
                return new Request.GetGameFileChunk(id(n, "gameId"), id(n, "path"), offset, length);
            case "getChunks":
                List<Request.GetChunks.Range> ranges = list(n, "chunks", MessageCodec::range);
                if (ranges.isEmpty() || ranges.size() > Protocol.MAX_CHUNKS_PER_REQUEST) {
                    throw new ProtocolException("a getChunks asks for 1 to " + Protocol.MAX_CHUNKS_PER_REQUEST
                            + " chunks, not " + ranges.size());
                }
                // before protocol 4 a version is an unknown extra field, ignored as every unknown field is
                String wanted = version >= Protocol.VERSION_4 && n.has("version") ? id(n, "version") : null;
                return new Request.GetChunks(id(n, "gameId"), wanted, ranges);
            case "getHave":
                return new Request.GetHave(id(n, "gameId"), id(n, "version"), sha256(n, "manifestSha256"),
                        nonNegativeLong(n, "revision"));
            default:
                throw new ProtocolException("unknown request type '" + type + "'");
        }
    }

    /** Decodes a response's JSON payload (the bytes after the length prefix) in the newest protocol version. */
    public Response decodeResponse(byte[] json) throws ProtocolException {
        return decodeResponse(json, Protocol.VERSION);
    }

    /**
     * Decodes a response's JSON payload as protocol {@code version} has it: version 1 has no
     * {@code manifest} and requires a chunk's {@code sha256}; version 2 allows a chunk without one.
     */
    public Response decodeResponse(byte[] json, int version) throws ProtocolException {
        if (json.length > Protocol.MAX_RESPONSE_FRAME) {
            throw new ProtocolException("response of " + json.length + " bytes exceeds the limit");
        }
        JsonNode n = parse(json);
        String type = text(n, "type");
        switch (type) {
            case "pong":
                return new Response.Pong(id(n, "peerId"), text(n, "name"), intValue(n, "protocolVersion"),
                        nonNegativeLong(n, "libraryRevision"));
            case "ack":
                return new Response.Ack();
            case "games":
                return new Response.Games(list(n, "games", this::game));
            case "gameFiles":
                return new Response.GameFiles(id(n, "gameId"), list(n, "files", this::gameFile));
            case "fileData":
                return new Response.FileData(id(n, "path"), nonNegativeLong(n, "size"));
            case "chunk":
                long offset = nonNegativeLong(n, "offset");
                int length = chunkLength(n, offset);
                String sha = version >= Protocol.VERSION_2 && !n.has("sha256") ? null : sha256(n, "sha256");
                return new Response.Chunk(id(n, "path"), offset, length, sha);
            case "manifest":
                if (version < Protocol.VERSION_2) {
                    throw new ProtocolException("response type 'manifest' does not exist in protocol " + version);
                }
                return manifest(n);
            case "partyProof":
                return new Response.PartyProof(sha256(n, "proof"));
            case "have":
                if (version < Protocol.VERSION_4) {
                    throw new ProtocolException("response type 'have' does not exist in protocol " + version);
                }
                return have(n);
            case "gameNotFound":
                return new Response.GameNotFound(id(n, "gameId"));
            case "error":
                return new Response.Error(errorCode(text(n, "code")), text(n, "message"));
            default:
                throw new ProtocolException("unknown response type '" + type + "'");
        }
    }

    private interface PayloadDecoder<T> {
        T decode(byte[] json) throws ProtocolException;
    }

    private static <T> T readFrame(ByteBuffer buf, int maxPayload, PayloadDecoder<T> decoder) throws ProtocolException {
        if (buf.remaining() < Protocol.LENGTH_PREFIX_BYTES) {
            throw new ProtocolException("truncated frame: " + buf.remaining() + " bytes, no complete length prefix");
        }
        int length = checkFrameLength(buf.getInt(buf.position()), maxPayload);
        if (buf.remaining() - Protocol.LENGTH_PREFIX_BYTES < length) {
            throw new ProtocolException("truncated frame: " + (buf.remaining() - Protocol.LENGTH_PREFIX_BYTES)
                    + " of " + length + " payload bytes");
        }
        buf.position(buf.position() + Protocol.LENGTH_PREFIX_BYTES);
        byte[] json = new byte[length];
        buf.get(json);
        return decoder.decode(json);
    }

    /** Chars decoded at a time by {@link #checkUtf8}: the decoded text is only looked at, never kept. */
    private static final int UTF8_CHECK_CHARS = 8192;

    /**
     * Refuses a payload that is not strict UTF-8, before any JSON parsing (Jackson on its own skips a leading
     * BOM, guesses UTF-16 and UTF-32 from NUL bytes, and decodes overlong sequences and sequences above
     * U+10FFFF instead of refusing them). Refused: a byte order mark (EF BB BF) at the start; a raw NUL byte
     * (JSON never allows an unescaped U+0000; the JSON escape backslash-u-0000 inside a string is accepted);
     * overlong encodings; UTF-16 surrogates encoded in UTF-8 (ED A0 80 … ED BF BF); code points above
     * U+10FFFF and the bytes F5 … FF; sequences truncated by a non-continuation byte or the end of the
     * payload; stray continuation bytes. Everything else that is well-formed UTF-8 (Unicode table 3-7)
     * passes, noncharacters such as U+FFFF included. ASCII bytes are a plain byte scan; each run of
     * non-ASCII bytes goes through the JDK's strict decoder ({@link CodingErrorAction#REPORT}) into a small
     * reused buffer, so a megabyte header is not copied.
     *
     * @throws ProtocolException naming the byte offset and the offending bytes
     */
    static void checkUtf8(byte[] json) throws ProtocolException {
        if (json.length >= 3 && json[0] == (byte) 0xEF && json[1] == (byte) 0xBB && json[2] == (byte) 0xBF) {
            throw new ProtocolException("invalid UTF-8: byte order mark (EF BB BF) at the start of the payload");
        }
        CharsetDecoder decoder = null;
        CharBuffer out = null;
        int i = 0;
        while (i < json.length) {
            byte b = json[i];
            if (b > 0) {
                i++;
                continue;
            }
            if (b == 0) {
                throw new ProtocolException("invalid payload: raw NUL byte at offset " + i
                        + " (JSON allows U+0000 only escaped, inside a string)");
            }
            // a run of non-ASCII bytes: a well-formed sequence never holds an ASCII byte, so it ends one
            int end = i + 1;
            while (end < json.length && json[end] < 0) {
                end++;
            }
            if (decoder == null) {
                decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
                out = CharBuffer.allocate(Math.min(UTF8_CHECK_CHARS, Math.max(2, json.length - i)));
            }
            checkNonAsciiRun(decoder, out, json, i, end);
            i = end;
        }
    }

    private static void checkNonAsciiRun(CharsetDecoder decoder, CharBuffer out, byte[] json, int from, int end)
            throws ProtocolException {
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(json, from, end - from);
        while (true) {
            out.clear();
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new ProtocolException(utf8Error(json, in.position()));
            }
            if (result.isUnderflow()) {
                break;
            }
        }
        out.clear();
        if (decoder.flush(out).isError()) {
            throw new ProtocolException(utf8Error(json, in.position()));
        }
    }

    /** A message naming what is wrong with the sequence at {@code at}. */
    private static String utf8Error(byte[] json, int at) {
        int lead = json[at] & 0xFF;
        int next = at + 1 < json.length ? json[at + 1] & 0xFF : -1;
        int expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        String what;
        if (lead >= 0x80 && lead <= 0xBF) {
            what = "stray continuation byte";
        } else if (lead >= 0xF8) {
            what = "byte that never occurs in UTF-8";
        } else if (lead == 0xC0 || lead == 0xC1 || (lead == 0xE0 && next >= 0x80 && next <= 0x9F)
                || (lead == 0xF0 && next >= 0x80 && next <= 0x8F)) {
            what = "overlong encoding";
        } else if (lead == 0xED && next >= 0xA0 && next <= 0xBF) {
            what = "UTF-16 surrogate encoded in UTF-8";
        } else if (lead >= 0xF5 || (lead == 0xF4 && next >= 0x90 && next <= 0xBF)) {
            what = "code point above U+10FFFF";
        } else {
            what = at + expected > json.length ? "sequence truncated by the end of the payload"
                    : "truncated sequence";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = at; i < Math.min(json.length, at + expected); i++) {
            hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02X", json[i] & 0xFF));
        }
        return "invalid UTF-8 at offset " + at + " (" + hex + "): " + what;
    }

    private JsonNode parse(byte[] json) throws ProtocolException {
        checkUtf8(json);
        JsonNode n;
        try {
            n = mapper.readTree(json);
        } catch (IOException e) {
            throw new ProtocolException("invalid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ProtocolException("a message must be a JSON object");
        }
        return n;
    }

    private Response.Manifest manifest(JsonNode n) throws ProtocolException {
        String gameId = id(n, "gameId");
        String version = text(n, "version");
        int chunkSize = intValue(n, "chunkSize");
        List<Response.ManifestFile> files = list(n, "files", this::manifestFile);
        long hashBytes = nonNegativeLong(n, "hashBytes");
        try {
            return new Response.Manifest(gameId, version, chunkSize, files, hashBytes);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("invalid manifest: " + e.getMessage(), e);
        }
    }

    private static Response.Have have(JsonNode n) throws ProtocolException {
        long chunks = nonNegativeLong(n, "chunks");
        if (chunks > HaveBits.MAX_CHUNKS) {
            throw new ProtocolException("a have-map of " + chunks + " chunks");
        }
        boolean complete = bool(n, "complete");
        java.util.BitSet held = n.has("bits") ? HaveBits.decode(text(n, "bits"), (int) chunks) : null;
        if (complete && held != null) {
            throw new ProtocolException("a complete copy with a have-map");
        }
        return new Response.Have(id(n, "gameId"), text(n, "version"), nonNegativeLong(n, "revision"), (int) chunks,
                complete, held);
    }

    private Response.ManifestFile manifestFile(JsonNode n) throws ProtocolException {
        String path = id(n, "path");
        long size = nonNegativeLong(n, "size");
        boolean directory = bool(n, "directory");
        if (directory) {
            if (n.has("sha256")) {
                throw new ProtocolException("directory " + path + " with a 'sha256'");
            }
            if (size != 0) {
                throw new ProtocolException("directory " + path + " with size " + size);
            }
            return new Response.ManifestFile(path, 0, true, null);
        }
        return new Response.ManifestFile(path, size, false, sha256(n, "sha256"));
    }

    private Game game(JsonNode n) throws ProtocolException {
        return new Game(id(n, "id"), text(n, "name"), text(n, "version"), nonNegativeLong(n, "size"));
    }

    private GameFile gameFile(JsonNode n) throws ProtocolException {
        return new GameFile(id(n, "path"), nonNegativeLong(n, "size"), bool(n, "directory"));
    }

    private static boolean bool(JsonNode n, String field) throws ProtocolException {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new ProtocolException("missing or non-boolean field '" + field + "'");
        }
        return v.booleanValue();
    }

    private static String sha256(JsonNode n, String field) throws ProtocolException {
        String sha = text(n, field);
        if (!isSha256Hex(sha)) {
            throw new ProtocolException("'" + field + "' must be 64 lower-case hex digits");
        }
        return sha;
    }

    private interface ElementDecoder<T> {
        T decode(JsonNode n) throws ProtocolException;
    }

    private static <T> List<T> list(JsonNode n, String field, ElementDecoder<T> decoder) throws ProtocolException {
        JsonNode array = n.get(field);
        if (array == null || !array.isArray()) {
            throw new ProtocolException("missing or non-array field '" + field + "'");
        }
        List<T> out = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (!element.isObject()) {
                throw new ProtocolException("'" + field + "' must hold objects");
            }
            out.add(decoder.decode(element));
        }
        return out;
    }

    private static String text(JsonNode n, String field) throws ProtocolException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new ProtocolException("missing or non-string field '" + field + "'");
        }
        return v.textValue();
    }

    /** A non-empty string (ids and paths; their safety is the server's business). */
    private static String id(JsonNode n, String field) throws ProtocolException {
        String s = text(n, field);
        if (s.isEmpty()) {
            throw new ProtocolException("empty field '" + field + "'");
        }
        return s;
    }

    private static long nonNegativeLong(JsonNode n, String field) throws ProtocolException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ProtocolException("missing or non-integer field '" + field + "'");
        }
        long value = v.longValue();
        if (value < 0) {
            throw new ProtocolException("negative field '" + field + "': " + value);
        }
        return value;
    }

    private static int intValue(JsonNode n, String field) throws ProtocolException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ProtocolException("missing or non-integer field '" + field + "'");
        }
        return v.intValue();
    }

    /** A UDP port, 1 to 65535. */
    private static int port(JsonNode n, String field) throws ProtocolException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ProtocolException("missing or non-integer field '" + field + "'");
        }
        int port = v.intValue();
        if (port < 1 || port > Protocol.MAX_PORT) {
            throw new ProtocolException("field '" + field + "' is not a port: " + port);
        }
        return port;
    }

    private static Request.GetChunks.Range range(JsonNode n) throws ProtocolException {
        long offset = nonNegativeLong(n, "offset");
        int length = chunkLength(n, offset);
        if (length == 0) {
            throw new ProtocolException("empty chunk range");
        }
        return new Request.GetChunks.Range(id(n, "path"), offset, length);
    }

    /** The {@code length} of a chunk starting at {@code offset}. */
    private static int chunkLength(JsonNode n, long offset) throws ProtocolException {
        long length = nonNegativeLong(n, "length");
        if (length > Protocol.MAX_CHUNK_LENGTH) {
            throw new ProtocolException("chunk length " + length + " exceeds the limit of " + Protocol.MAX_CHUNK_LENGTH);
        }
        if (offset > Long.MAX_VALUE - length) {
            throw new ProtocolException("chunk range overflows");
        }
        return (int) length;
    }

    private static ErrorCode errorCode(String code) throws ProtocolException {
        try {
            return ErrorCode.valueOf(code);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("unknown error code '" + code + "'");
        }
    }
}
