package io.lanspread.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.lanspread.api.game.Game;

/**
 * Strict UTF-8 (docs/protocol.md, "Framing"): every request and response payload, protocol 1 and 2, is
 * refused before JSON parsing when it is not well-formed UTF-8 without a BOM and without raw NUL bytes.
 */
class StrictUtf8Test {

    private static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final MessageCodec codec = new MessageCodec();

    /** Sequences that Jackson alone accepts or mis-decodes (the first ones) or refuses itself (the others). */
    static Stream<Arguments> invalidSequences() {
        return Stream.of(
                Arguments.of("overlong NUL C0 80", bytes(0xC0, 0x80), "overlong"),
                Arguments.of("overlong C1 BF", bytes(0xC1, 0xBF), "overlong"),
                Arguments.of("overlong E0 80 80", bytes(0xE0, 0x80, 0x80), "overlong"),
                Arguments.of("overlong E0 9F BF", bytes(0xE0, 0x9F, 0xBF), "overlong"),
                Arguments.of("overlong F0 80 80 80", bytes(0xF0, 0x80, 0x80, 0x80), "overlong"),
                Arguments.of("overlong F0 8F BF BF", bytes(0xF0, 0x8F, 0xBF, 0xBF), "overlong"),
                Arguments.of("surrogate ED A0 80", bytes(0xED, 0xA0, 0x80), "surrogate"),
                Arguments.of("surrogate ED AF BF", bytes(0xED, 0xAF, 0xBF), "surrogate"),
                Arguments.of("surrogate ED B0 80", bytes(0xED, 0xB0, 0x80), "surrogate"),
                Arguments.of("surrogate ED BF BF", bytes(0xED, 0xBF, 0xBF), "surrogate"),
                Arguments.of("surrogate pair as CESU-8", bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80), "surrogate"),
                Arguments.of("above U+10FFFF F4 90 80 80", bytes(0xF4, 0x90, 0x80, 0x80), "above U+10FFFF"),
                Arguments.of("above U+10FFFF F5 80 80 80", bytes(0xF5, 0x80, 0x80, 0x80), "above U+10FFFF"),
                Arguments.of("above U+10FFFF F7 BF BF BF", bytes(0xF7, 0xBF, 0xBF, 0xBF), "above U+10FFFF"),
                Arguments.of("5-byte form F8 88 80 80 80", bytes(0xF8, 0x88, 0x80, 0x80, 0x80), "never occurs"),
                Arguments.of("byte FE", bytes(0xFE), "never occurs"),
                Arguments.of("byte FF", bytes(0xFF), "never occurs"),
                Arguments.of("truncated C3", bytes(0xC3), "truncated"),
                Arguments.of("truncated E6 97", bytes(0xE6, 0x97), "truncated"),
                Arguments.of("truncated F0 9F 98", bytes(0xF0, 0x9F, 0x98), "truncated"),
                Arguments.of("truncated C3 then ASCII", bytes(0xC3, 'a'), "truncated"),
                Arguments.of("stray continuation 80", bytes(0x80), "stray continuation"),
                Arguments.of("stray continuation BF", bytes(0xBF), "stray continuation"),
                Arguments.of("extra continuation after ä", bytes(0xC3, 0xA4, 0xA4), "stray continuation"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSequences")
    void refusedInARequestFrame(String name, byte[] sequence, String reason) {
        byte[] json = concat(ascii("{\"type\":\"getGame\",\"gameId\":\"q"), sequence, ascii("\"}"));
        for (int version : new int[] {Protocol.VERSION_1, Protocol.VERSION_2}) {
            assertThatThrownBy(() -> codec.decodeRequest(json, version)).isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("invalid UTF-8 at offset ").hasMessageContaining(reason);
        }
        assertThatThrownBy(() -> codec.decodeRequestFrame(frame(json))).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("invalid UTF-8").hasMessageContaining(reason);
        // in a field name too, where Jackson decodes UTF-8 on another path
        byte[] inName = concat(ascii("{\"type\":\"ping\",\"x"), sequence, ascii("\":1}"));
        assertThatThrownBy(() -> codec.decodeRequest(inName)).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("invalid UTF-8").hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSequences")
    void refusedInAResponseHeader(String name, byte[] sequence, String reason) {
        List<byte[]> headers = List.of(
                concat(ascii("{\"type\":\"games\",\"games\":[{\"id\":\"a\",\"name\":\""), sequence,
                        ascii("\",\"version\":\"1\",\"size\":1}]}")),
                concat(ascii("{\"type\":\"chunk\",\"path\":\"p"), sequence,
                        ascii("\",\"offset\":0,\"length\":1,\"sha256\":\"" + SHA + "\"}")),
                concat(ascii("{\"type\":\"error\",\"code\":\"BAD_REQUEST\",\"message\":\""), sequence, ascii("\"}")));
        for (byte[] json : headers) {
            for (int version : new int[] {Protocol.VERSION_1, Protocol.VERSION_2}) {
                ByteBuffer buf = ByteBuffer.wrap(concat(frame(json), new byte[] {1, 2, 3}));
                assertThatThrownBy(() -> codec.decodeResponseFrame(buf, version)).isInstanceOf(ProtocolException.class)
                        .hasMessageStartingWith("invalid UTF-8").hasMessageContaining(reason);
                assertThatThrownBy(() -> codec.decodeResponse(json, version)).isInstanceOf(ProtocolException.class)
                        .hasMessageStartingWith("invalid UTF-8").hasMessageContaining(reason);
            }
        }
        byte[] manifest = concat(ascii("{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,"
                + "\"files\":[{\"path\":\"a"), sequence, ascii("\",\"size\":0,\"directory\":false,\"sha256\":\"" + SHA
                + "\"}],\"hashBytes\":0}"));
        assertThatThrownBy(() -> codec.decodeResponseFrame(ByteBuffer.wrap(frame(manifest)), Protocol.VERSION_2))
                .isInstanceOf(ProtocolException.class).hasMessageStartingWith("invalid UTF-8")
                .hasMessageContaining(reason);
    }

    @Test
    void sequenceTruncatedByTheEndOfThePayloadIsRefusedAsUtf8() {
        byte[] json = concat(ascii("{\"type\":\"ping\"}"), bytes(0xE6, 0x97));
        assertThatThrownBy(() -> codec.decodeRequest(json)).isInstanceOf(ProtocolException.class)
                .hasMessage("invalid UTF-8 at offset 15 (E6 97): sequence truncated by the end of the payload");
    }

    @Test
    void byteOrderMarkAtTheStartIsRefused() {
        byte[] request = concat(bytes(0xEF, 0xBB, 0xBF), ascii("{\"type\":\"ping\"}"));
        assertThatThrownBy(() -> codec.decodeRequestFrame(frame(request))).isInstanceOf(ProtocolException.class)
                .hasMessage("invalid UTF-8: byte order mark (EF BB BF) at the start of the payload");
        byte[] response = concat(bytes(0xEF, 0xBB, 0xBF), ascii("{\"type\":\"ack\"}"));
        for (int version : new int[] {Protocol.VERSION_1, Protocol.VERSION_2}) {
            assertThatThrownBy(() -> codec.decodeResponseFrame(ByteBuffer.wrap(frame(response)), version))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("byte order mark");
        }
    }

    @Test
    void zeroWidthNoBreakSpaceElsewhereIsAnOrdinaryCharacterInAStringOnly() throws Exception {
        byte[] inString = concat(ascii("{\"type\":\"getGame\",\"gameId\":\""), bytes(0xEF, 0xBB, 0xBF), ascii("q\"}"));
        assertThat(codec.decodeRequest(inString)).isEqualTo(new Request.GetGame("\uFEFFq"));
        byte[] betweenTokens = concat(ascii("{\"type\":\"ping\""), bytes(0xEF, 0xBB, 0xBF), ascii("}"));
        assertThatThrownBy(() -> codec.decodeRequest(betweenTokens)).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("invalid JSON");
    }

    @Test
    void utf16AndUtf32PayloadsAreRefused() {
        // Jackson on its own detects these encodings from the NUL bytes and accepts them
        for (Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16,
                Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"))) {
            byte[] json = "{\"type\":\"ping\"}".getBytes(charset);
            assertThatThrownBy(() -> codec.decodeRequestFrame(frame(json))).as(charset.name())
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void rawNulIsRefusedAndEscapedNulIsAString() throws Exception {
        byte[] raw = concat(ascii("{\"type\":\"getGame\",\"gameId\":\"a"), bytes(0), ascii("b\"}"));
        assertThatThrownBy(() -> codec.decodeRequestFrame(frame(raw))).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("invalid payload: raw NUL byte at offset 29");
        byte[] rawBetweenTokens = concat(ascii("{\"type\":\"ack\""), bytes(0), ascii("}"));
        assertThatThrownBy(() -> codec.decodeResponse(rawBetweenTokens, Protocol.VERSION_1))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("raw NUL");
        // the JSON escape is valid JSON: the codec hands U+0000 on (the server refuses such a path, INVALID_PATH)
        byte[] escaped = ascii("{\"type\":\"getGame\",\"gameId\":\"a\\u0000b\"}");
        assertThat(codec.decodeRequest(escaped)).isEqualTo(new Request.GetGame("a\u0000b"));
        Request.Hello hello = new Request.Hello("n\u0000", 42420, 1);
        byte[] encoded = codec.encode(hello);
        assertThat(new String(encoded, 4, encoded.length - 4, StandardCharsets.UTF_8)).contains("n\\u0000");
        assertThat(codec.decodeRequestFrame(encoded)).isEqualTo(hello);
    }

    @Test
    void validMultiByteTextIsAccepted() throws Exception {
        List<String> names = List.of("Spiel für Jäger", "日本のゲーム", "🎮 Quake 😀", "Ω", "\u0080", "\u07FF", "\u0800",
                "\uD7FF", "\uE000", "\uFFFD", "\uFFFE\uFFFF", "\uD800\uDC00", "\uDBFF\uDFFF", "a\uFEFF");
        for (String name : names) {
            Request.Hello hello = new Request.Hello(name, 42420, 1);
            assertThat(codec.decodeRequestFrame(codec.encode(hello))).isEqualTo(hello);
            Request.GetGameFileChunk chunk = new Request.GetGameFileChunk("g" + name, name + "/x", 0, 1);
            assertThat(codec.decodeRequestFrame(codec.encode(chunk))).isEqualTo(chunk);
            Response.Games games = new Response.Games(List.of(new Game(name, name, name, 1)));
            for (int version : new int[] {Protocol.VERSION_1, Protocol.VERSION_2}) {
                ByteBuffer buf = ByteBuffer.wrap(codec.encode(games));
                assertThat(codec.decodeResponseFrame(buf, version)).isEqualTo(games);
            }
            // the same characters as the raw bytes a foreign encoder writes
            byte[] json = ("{\"type\":\"getGame\",\"gameId\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(codec.decodeRequest(json)).isEqualTo(new Request.GetGame(name));
        }
    }

    @Test
    void largeNonAsciiManifestHeaderDecodes() throws Exception {
        List<Response.ManifestFile> files = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            files.add(new Response.ManifestFile("日本/Spiel für Jäger 🎮/" + i + ".pak", 0, false, SHA));
        }
        Response.Manifest header = new Response.Manifest("g", "1", 524_288, files, 0);
        byte[] frame = codec.encode(header);
        assertThat(frame.length).isGreaterThan(2 * 1024 * 1024);
        assertThat(codec.decodeResponseFrame(ByteBuffer.wrap(frame), Protocol.VERSION_2)).isEqualTo(header);
    }

    /**
     * The check against Unicode's definition of well-formed UTF-8 (table 3-7), over every one- and two-byte
     * sequence and three- and four-byte sequences with every first and second byte and last bytes at the
     * edges of the continuation range or just outside it.
     */
    @Test
    void agreesWithTheUnicodeDefinition() {
        int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        int[] continuationEdges = {0x7F, 0x80, 0xBF, 0xC0};
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (int a = 0; a < 256; a++) {
            checked += agree(disagreements, bytes(a));
            for (int b = 0; b < 256; b++) {
                checked += agree(disagreements, bytes(a, b));
                if (a >= 0xE0) {
                    for (int c : edges) {
                        checked += agree(disagreements, bytes(a, b, c));
                    }
                }
                if (a >= 0xF0 && a <= 0xF8) {
                    for (int c : continuationEdges) {
                        for (int d : continuationEdges) {
                            checked += agree(disagreements, bytes(a, b, c, d));
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(190_000);
        assertThat(disagreements).isEmpty();
    }

    private static int agree(List<String> disagreements, byte[] sequence) {
        byte[] json = new byte[sequence.length + 2];
        json[0] = 'x';
        System.arraycopy(sequence, 0, json, 1, sequence.length);
        json[json.length - 1] = 'y';
        boolean accepted;
        try {
            MessageCodec.checkUtf8(json);
            accepted = true;
        } catch (ProtocolException e) {
            accepted = false;
        }
        if (accepted != wellFormed(json)) {
            disagreements.add(hex(sequence) + (accepted ? " accepted" : " refused"));
        }
        return 1;
    }

    /** Unicode table 3-7, plus the protocol's rule that a raw NUL is refused. */
    private static boolean wellFormed(byte[] s) {
        int i = 0;
        while (i < s.length) {
            int a = s[i] & 0xFF;
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (a == 0) {
                return false;
            } else if (a < 0x80) {
                n = 0;
            } else if (a >= 0xC2 && a <= 0xDF) {
                n = 1;
            } else if (a >= 0xE0 && a <= 0xEF) {
                n = 2;
                lo = a == 0xE0 ? 0xA0 : 0x80;
                hi = a == 0xED ? 0x9F : 0xBF;
            } else if (a >= 0xF0 && a <= 0xF4) {
                n = 3;
                lo = a == 0xF0 ? 0x90 : 0x80;
                hi = a == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (i + n >= s.length) {
                return false;
            }
            for (int k = 1; k <= n; k++) {
                int c = s[i + k] & 0xFF;
                if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] frame(byte[] json) {
        return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X ", x & 0xFF));
        }
        return sb.toString().trim();
    }
}
