package io.lanspread.bridge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.lanspread.fuzz.FuzzStats;

/**
 * The HTTP API's path parser on hostile request paths: {@link ApiPath#segments} splits and percent-decodes
 * or refuses with a 400 {@link ApiException}, nothing else; a percent escape is accepted only as two ASCII
 * hex digits. An id {@link ApiPath#id} accepts is returned unchanged and names one plain folder inside
 * the games folder: not empty, blank, {@code .} or {@code ..}, no separator, no {@code ..}, no control
 * character, at most 255 characters.
 * <p>
 * The first input byte chooses how the rest becomes the path: even as UTF-8, odd as Latin-1.
 */
class ApiPathFuzzTest {

    @RegisterExtension
    static final FuzzStats STATS = new FuzzStats("api-path");

    private static final Path GAMES = Path.of("/srv/lanspread/games");

    @FuzzTest(maxDuration = "30s")
    // libFuzzer dictionary syntax: \xNN escapes a byte (a backslash; U+FF12 and U+0661, digits to Java, in UTF-8)
    @DictionaryEntries({"/games/", "/downloads/", "%2e", "%2E", "%2f", "%2F", "%5c", "%00", "%", "..", ".", "/",
            "\\x5c", "%c0%ae", "%e2%80%ae", "%ff", "\\xef\\xbc\\x92", "\\xd9\\xa1"})
    void parsesOrRefuses(byte[] input) {
        STATS.executed();
        if (input.length == 0) {
            return;
        }
        // the request line's bytes as the HTTP server may hand them on: as UTF-8 or as Latin-1
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        String raw = new String(bytes, (input[0] & 1) == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        List<String> segments;
        try {
            segments = ApiPath.segments(raw);
        } catch (ApiException e) {
            assertEquals(400, e.status(), "a path the parser refuses is a bad request");
            return;
        }
        checkEscapesAreAsciiHex(raw);
        String rest = raw.startsWith("/") ? raw.substring(1) : raw;
        assertEquals(raw.isEmpty() ? 0 : rest.split("/", -1).length, segments.size(), "one segment per slash");
        for (String segment : segments) {
            checkId(segment);
        }
    }

    private static void checkEscapesAreAsciiHex(String raw) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || !isAsciiHex(raw.charAt(i + 1)) || !isAsciiHex(raw.charAt(i + 2))) {
                fail("accepted a malformed percent escape at " + i + " in " + escaped(raw));
            }
            i += 2;
        }
    }

    private static void checkId(String segment) {
        String id;
        try {
            id = ApiPath.id("game", segment);
        } catch (ApiException e) {
            assertEquals(400, e.status(), "a refused id is a bad request");
            return;
        }
        assertEquals(segment, id, "an accepted id is returned unchanged");
        assertFalse(id.isBlank(), "blank id accepted");
        assertTrue(id.length() <= ApiPath.MAX_ID_LENGTH, "over-long id accepted");
        assertFalse(id.contains("..") || id.equals("."), () -> "relative id accepted: " + escaped(id));
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            assertFalse(c == '/' || c == '\\' || c < 0x20 || c == 0x7f, () -> "id with a separator or control "
                    + "character accepted: " + escaped(id));
        }
        Path folder = GAMES.resolve(id).normalize();
        assertEquals(GAMES, folder.getParent(), () -> "id " + escaped(id) + " leaves the games folder");
        assertNotEquals(GAMES, folder);
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String escaped(String s) {
        StringBuilder out = new StringBuilder("'");
        s.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp)
                : String.format("\\u{%x}", cp)));
        return out.append('\'').toString();
    }
}
