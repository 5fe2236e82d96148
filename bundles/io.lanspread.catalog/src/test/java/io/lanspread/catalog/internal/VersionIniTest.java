package io.lanspread.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionIniTest {

    @TempDir
    Path dir;

    private Optional<VersionIni.Content> read(byte[] bytes) throws IOException {
        Path file = dir.resolve("version.ini");
        Files.write(file, bytes);
        return VersionIni.read(file);
    }

    private Optional<VersionIni.Content> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void singleLineIsTheVersion() throws IOException {
        assertThat(read("20231101\n")).contains(new VersionIni.Content("20231101", Optional.empty()));
    }

    @Test
    void versionKeyInsideASection() throws IOException {
        assertThat(read("[game]\nbuild=77\nversion = 1.4.2 \n").orElseThrow().version()).isEqualTo("1.4.2");
    }

    @Test
    void keyIsCaseInsensitive() throws IOException {
        assertThat(read("[Info]\nVERSION=2.0\n").orElseThrow().version()).isEqualTo("2.0");
        assertThat(read("Version=3\n").orElseThrow().version()).isEqualTo("3");
    }

    @Test
    void versionKeyWinsOverAnEarlierPlainLine() throws IOException {
        assertThat(read("release notes\nversion=5\n").orElseThrow().version()).isEqualTo("5");
    }

    @Test
    void commentLinesAreIgnored() throws IOException {
        assertThat(read("; version=9\n# version=8\n\n  ; indented comment\nversion=1.0\n").orElseThrow().version())
                .isEqualTo("1.0");
        assertThat(read("# a comment\n; another\n\n  0.9-beta  \n").orElseThrow().version()).isEqualTo("0.9-beta");
    }

    @Test
    void firstPlainLineIsTheFallback() throws IOException {
        assertThat(read("\n\n[section]\n  1.2.3  \n4.5.6\nother=1\n").orElseThrow().version()).isEqualTo("1.2.3");
    }

    @Test
    void byteOrderMarkAndCrlfAreTolerated() throws IOException {
        byte[] text = "version=1.1\r\nname=Quake\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertThat(read(withBom)).contains(new VersionIni.Content("1.1", Optional.of("Quake")));
        // BOM before a bare version line: the BOM must not become part of the version
        byte[] bare = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '7', '\r', '\n'};
        assertThat(read(bare).orElseThrow().version()).isEqualTo("7");
    }

    @Test
    void oldMacLineEndings() throws IOException {
        assertThat(read("; c\rversion=4\rname=X\r")).contains(new VersionIni.Content("4", Optional.of("X")));
    }

    @Test
    void utf16WithBomAsWrittenByNotepad() throws IOException {
        byte[] text = "version=2.5\r\nname=Ünreal\r\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[text.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(text, 0, withBom, 2, text.length);
        assertThat(read(withBom)).contains(new VersionIni.Content("2.5", Optional.of("Ünreal")));
    }

    @Test
    void nameKey() throws IOException {
        assertThat(read("name = Unreal Tournament\nversion=436\n"))
                .contains(new VersionIni.Content("436", Optional.of("Unreal Tournament")));
        assertThat(read("name=\"Half-Life\"\n1.1.2.2\n"))
                .contains(new VersionIni.Content("1.1.2.2", Optional.of("Half-Life")));
    }

    @Test
    void emptyOrVersionlessFilesHaveNoVersion() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read("\r\n  \n")).isEmpty();
        assertThat(read("; only comments\n# here\n[section]\n")).isEmpty();
        assertThat(read("name=Only a name\n")).isEmpty();
        assertThat(read("version=\n")).isEmpty();
        assertThat(read(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})).isEmpty();
    }

    @Test
    void onlyTheBeginningOfAHugeFileIsRead() throws IOException {
        byte[] huge = new byte[VersionIni.MAX_BYTES * 4];
        java.util.Arrays.fill(huge, (byte) '\n');
        byte[] head = "version=6\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, huge, 0, head.length);
        huge[huge.length - 2] = 'x';
        assertThat(read(huge).orElseThrow().version()).isEqualTo("6");
    }
}
