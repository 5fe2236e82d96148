package io.lanspread.bridge.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The path below {@code /api}, split into percent-decoded segments. Splitting happens before decoding,
 * so an encoded slash stays inside its segment (and is then refused as part of an id).
 */
final class ApiPath {

    static final int MAX_ID_LENGTH = 255;

    private ApiPath() {
    }

    /**
     * @param rawRemainder the undecoded request path after the servlet path, such as {@code /games/x}
     *                     or empty
     */
    static List<String> segments(String rawRemainder) {
        String rest = rawRemainder.startsWith("/") ? rawRemainder.substring(1) : rawRemainder;
        List<String> segments = new ArrayList<>();
        if (rawRemainder.isEmpty()) {
            return segments;
        }
        for (String raw : rest.split("/", -1)) {
            segments.add(decode(raw));
        }
        return segments;
    }

    /** Refuses ids that are empty, too long, or could name something outside a plain folder name. */
    static String id(String kind, String id) {
        if (id.isEmpty()) {
            throw new ApiException(400, kind + " id must not be empty");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new ApiException(400, kind + " id is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (id.contains("..")) {
            throw new ApiException(400, kind + " id must not contain '..'");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '\\') {
                throw new ApiException(400, kind + " id must not contain a path separator");
            }
            if (c < 0x20 || c == 0x7f) {
                throw new ApiException(400, kind + " id must not contain control characters");
            }
        }
        if (id.equals(".") || id.isBlank()) {
            throw new ApiException(400, "malformed " + kind + " id");
        }
        return id;
    }

    /** An ASCII hex digit's value, else -1 (Character.digit also takes fullwidth and other scripts' digits). */
    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                    throw new ApiException(400, "malformed percent-encoding in the path");
                }
                bytes.write(hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2)));
                i += 2;
            } else {
                int end = raw.indexOf('%', i);
                end = end < 0 ? raw.length() : end;
                byte[] b = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "the path is not valid UTF-8");
        }
    }
}
