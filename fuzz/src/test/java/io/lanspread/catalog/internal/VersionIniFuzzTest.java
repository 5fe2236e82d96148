package io.lanspread.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.lanspread.fuzz.FuzzStats;

/**
 * {@code version.ini} parsing on hostile bytes, read from a real file as the scanner reads it: it returns a
 * content or nothing, and throws nothing (its only declared error is an {@link IOException} of the file,
 * which a readable temporary file never causes). A version or name it returns is one stripped line of the
 * decoded text, never empty, so a game's version shown to peers is never blank or several lines.
 */
class VersionIniFuzzTest {

    @RegisterExtension
    static final FuzzStats STATS = new FuzzStats("version-ini");

    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        dir = Files.createTempDirectory("lanspread-fuzz-ini");
        file = dir.resolve("version.ini");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "30s")
    // libFuzzer dictionary syntax: \xNN escapes bytes (BOMs, line breaks, U+3000 and U+00A0 in UTF-8)
    @DictionaryEntries({"version", "Version", "name", "=", "[section]", ";", "#", "\\\"", "\\x0d\\x0a",
            "\\x0d", "\\x0a", "\\xef\\xbb\\xbf", "\\xff\\xfe", "\\xfe\\xff", " ", "\\x09",
            "\\xe3\\x80\\x80", "\\xc2\\xa0"})
    void parsesOrFindsNothing(byte[] bytes) throws IOException {
        STATS.executed();
        Files.write(file, bytes);
        Optional<VersionIni.Content> content = VersionIni.read(file);

        String text = VersionIni.decode(Arrays.copyOf(bytes, Math.min(bytes.length, VersionIni.MAX_BYTES)));
        assertEquals(VersionIni.parse(text), content, "reading the file parses its first 64 KiB");
        if (content.isPresent()) {
            checkValue("version", content.get().version(), text);
            content.get().name().ifPresent(name -> checkValue("name", name, text));
        }
    }

    private static void checkValue(String what, String value, String text) {
        assertFalse(value.isEmpty(), () -> "empty " + what);
        assertEquals(value.strip(), value, () -> what + " not stripped: '" + value + "'");
        assertTrue(value.indexOf('\n') < 0 && value.indexOf('\r') < 0, () -> what + " spans lines: '" + value + "'");
        assertTrue(text.contains(value), () -> what + " '" + value + "' is not in the file");
    }
}
