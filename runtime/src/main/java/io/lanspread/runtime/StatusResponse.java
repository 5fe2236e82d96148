package io.lanspread.runtime;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of {@code GET /api/status} the ready line needs. A small field extractor instead of a JSON
 * library: the launcher runs outside the framework and should stay dependency-free.
 */
record StatusResponse(String peerId, String name, int quicPort, String gamesDir) {

    private static final String STRING = "\"((?:[^\"\\\\]|\\\\.)*)\"";

    static Optional<StatusResponse> parse(String json) {
        try {
            return parseFields(json);
        } catch (RuntimeException e) { // malformed escape: treat as "not ready yet"
            return Optional.empty();
        }
    }

    private static Optional<StatusResponse> parseFields(String json) {
        Optional<String> peerId = string(json, "peerId");
        Optional<Integer> quicPort = number(json, "quicPort");
        if (peerId.isEmpty() || peerId.get().isEmpty() || quicPort.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StatusResponse(peerId.get(), string(json, "name").orElse(""),
                quicPort.get(), string(json, "gamesDir").orElse("")));
    }

    private static Optional<String> string(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*" + STRING).matcher(json);
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    private static Optional<Integer> number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d{1,5})\\b").matcher(json);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 < s.length()) {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                }
                default -> out.append(e); // \" \\ \/
            }
        }
        return out.toString();
    }
}
