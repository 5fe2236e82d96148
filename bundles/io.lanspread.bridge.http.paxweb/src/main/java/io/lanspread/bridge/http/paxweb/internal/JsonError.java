package io.lanspread.bridge.http.paxweb.internal;

import java.nio.charset.StandardCharsets;

/** The API's error body, {@code {"error":"<sentence>"}}, as UTF-8 bytes. */
final class JsonError {

    static final String CONTENT_TYPE = "application/json;charset=utf-8";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonError() {
    }

    static byte[] body(String sentence) {
        StringBuilder out = new StringBuilder(sentence.length() + 16).append("{\"error\":\"");
        for (int i = 0; i < sentence.length(); i++) {
            char c = sentence.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < sentence.length()
                            && Character.isLowSurrogate(sentence.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(sentence.charAt(i - 1)))) {
                out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        return out.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
