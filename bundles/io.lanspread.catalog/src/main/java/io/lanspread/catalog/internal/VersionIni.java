package io.lanspread.catalog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a game's {@code version.ini}. The version is the value of a {@code version=} key in any section
 * (key case-insensitive); without one, the first line that is neither blank, a comment, a section header
 * nor a {@code key=value} assignment. An optional {@code name=} key gives the display name.
 */
final class VersionIni {

    /** Larger files are not version files; only their beginning is read. */
    static final int MAX_BYTES = 64 * 1024;

    /** What a {@code version.ini} says. {@code name} is empty when the file has no {@code name=} key. */
    record Content(String version, Optional<String> name) {
    }

    private VersionIni() {
    }

    /** The content, or empty when the file holds no version. */
    static Optional<Content> read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        }
        return parse(decode(bytes));
    }

    static Optional<Content> parse(String text) {
        String version = null;
        String name = null;
        String fallback = null;
        for (String raw : text.split("\r\n|\r|\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")
                    || (line.startsWith("[") && line.endsWith("]"))) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq > 0 ? line.substring(0, eq).strip() : "";
            if (isKey(key)) {
                String value = unquote(line.substring(eq + 1).strip());
                String lower = key.toLowerCase(Locale.ROOT);
                if (version == null && lower.equals("version") && !value.isEmpty()) {
                    version = value;
                } else if (name == null && lower.equals("name") && !value.isEmpty()) {
                    name = value;
                }
            } else if (fallback == null) {
                fallback = line;
            }
        }
        String chosen = version != null ? version : fallback;
        return chosen == null ? Optional.empty() : Optional.of(new Content(chosen, Optional.ofNullable(name)));
    }

    /** UTF-8 (BOM tolerated) unless a UTF-16 BOM says otherwise; malformed bytes become U+FFFD. */
    static String decode(byte[] bytes) {
        Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            skip = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("cannot happen with REPLACE", e);
        }
    }

    /** A plain ini key such as {@code version} or {@code build.id}, so "1.0 = final" stays a version line. */
    private static boolean isKey(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ' ')) {
                return false;
            }
        }
        return Character.isLetter(key.charAt(0));
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).strip();
        }
        return value;
    }
}
