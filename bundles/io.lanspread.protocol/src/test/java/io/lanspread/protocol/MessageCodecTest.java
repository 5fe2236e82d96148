package io.lanspread.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;

class MessageCodecTest {

    private static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final MessageCodec codec = new MessageCodec();

    @Test
    void requestsRoundTrip() throws Exception {
        List<Request> requests = List.of(new Request.Ping(), new Request.ListGames(), new Request.GetGame("quake"),
                new Request.Hello("LAN box", 42420, 12), new Request.Hello("", 1, 0),
                new Request.Hello("ü", Protocol.MAX_PORT, Long.MAX_VALUE),
                new Request.LibraryChanged(0), new Request.LibraryChanged(Long.MAX_VALUE), new Request.Goodbye(),
                new Request.GetGameFileData("quake", "id1/pak0.pak"), new Request.GetManifest("quake"),
                new Request.GetGameFileChunk("quake", "id1/pak0.pak", 524_288L * 7, 524_288),
                new Request.GetGameFileChunk("quake", "ä ö/ü.dat", Long.MAX_VALUE - 10, 10));
        for (Request r : requests) {
            assertThat(codec.decodeRequestFrame(codec.encode(r))).isEqualTo(r);
        }
    }

    @Test
    void responsesRoundTrip() throws Exception {
        List<Response> responses = List.of(
                new Response.Pong("ab12", "LAN box", Protocol.VERSION, 42),
                new Response.Ack(),
                new Response.Games(List.of(new Game("quake", "Quake", "1.09", 123), new Game("doom", "Doom", "", 0))),
                new Response.Games(List.of()),
                new Response.GameFiles("quake", List.of(new GameFile("id1", 0, true), new GameFile("id1/pak0.pak", 18_689_235, false))),
                new Response.FileData("id1/pak0.pak", 18_689_235),
                new Response.Chunk("id1/pak0.pak", 524_288, 1000, SHA),
                new Response.Chunk("id1/pak0.pak", 524_288, 1000, null),
                new Response.Error(ErrorCode.FILE_CHANGED, "id1/pak0.pak changed"),
                new Response.GameNotFound("quake"),
                new Response.Error(ErrorCode.INVALID_PATH, "path leaves the game folder"));
        for (Response r : responses) {
            ByteBuffer buf = ByteBuffer.wrap(codec.encode(r));
            assertThat(codec.decodeResponseFrame(buf)).isEqualTo(r);
            assertThat(buf.hasRemaining()).isFalse();
        }
    }

    @Test
    void frameIsBigEndianLengthPlusUtf8Json() {
        byte[] frame = codec.encode(new Request.GetGame("ü"));
        int length = ByteBuffer.wrap(frame).getInt();
        assertThat(length).isEqualTo(frame.length - 4);
        String json = new String(frame, 4, length, StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"type\":\"getGame\",\"gameId\":\"ü\"}");
    }

    @Test
    void noticesHaveTheDocumentedJson() {
        assertThat(json(codec.encode(new Request.Hello("lan-box", 42420, 12))))
                .isEqualTo("{\"type\":\"hello\",\"name\":\"lan-box\",\"listenPort\":42420,\"libraryRevision\":12}");
        assertThat(json(codec.encode(new Request.LibraryChanged(13))))
                .isEqualTo("{\"type\":\"libraryChanged\",\"libraryRevision\":13}");
        assertThat(json(codec.encode(new Request.Goodbye()))).isEqualTo("{\"type\":\"goodbye\"}");
        assertThat(json(codec.encode(new Response.Ack()))).isEqualTo("{\"type\":\"ack\"}");
    }

    @Test
    void responseFrameLeavesRawBytesAfterIt() throws Exception {
        byte[] header = codec.encode(new Response.Chunk("a", 0, 3, SHA));
        ByteBuffer buf = ByteBuffer.allocate(header.length + 3).put(header).put(new byte[] {1, 2, 3}).flip();
        assertThat(codec.decodeResponseFrame(buf)).isInstanceOf(Response.Chunk.class);
        assertThat(buf.remaining()).isEqualTo(3);
        assertThat(buf.get()).isEqualTo((byte) 1);
    }

    @Test
    void lengthOverTheRequestLimitIsRejected() {
        byte[] frame = ByteBuffer.allocate(8).putInt(Protocol.MAX_REQUEST_FRAME + 1).array();
        assertThatThrownBy(() -> codec.decodeRequestFrame(frame)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> MessageCodec.checkFrameLength(Protocol.MAX_RESPONSE_FRAME + 1, Protocol.MAX_RESPONSE_FRAME))
                .isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void zeroOrNegativeLengthIsRejected(int length) {
        assertThatThrownBy(() -> MessageCodec.checkFrameLength(length, Protocol.MAX_REQUEST_FRAME))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void limitItselfIsAccepted() throws Exception {
        assertThat(MessageCodec.checkFrameLength(Protocol.MAX_REQUEST_FRAME, Protocol.MAX_REQUEST_FRAME))
                .isEqualTo(Protocol.MAX_REQUEST_FRAME);
    }

    @Test
    void truncatedFramesAreRejected() {
        byte[] frame = codec.encode(new Request.GetGame("quake"));
        for (int cut = 0; cut < frame.length; cut++) {
            byte[] part = Arrays.copyOf(frame, cut);
            assertThatThrownBy(() -> codec.decodeRequestFrame(part)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void truncatedResponseFrameIsRejected() {
        byte[] frame = codec.encode(new Response.GameNotFound("quake"));
        ByteBuffer buf = ByteBuffer.wrap(frame, 0, frame.length - 1);
        assertThatThrownBy(() -> codec.decodeResponseFrame(buf)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void bytesAfterARequestFrameAreRejected() {
        byte[] frame = codec.encode(new Request.Ping());
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        assertThatThrownBy(() -> codec.decodeRequestFrame(longer)).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "not json", "{", "{\"type\":\"ping\"", "[]", "\"ping\"", "42", "null",
            "{\"type\":\"ping\"} {}", "{\"type\":\"ping\",\"type\":\"ping\"}",
            "{}", "{\"type\":null}", "{\"type\":7}", "{\"type\":\"pingx\"}", "{\"type\":\"PING\"}",
            "{\"type\":\"getGame\"}", "{\"type\":\"getGame\",\"gameId\":\"\"}", "{\"type\":\"getGame\",\"gameId\":5}",
            "{\"type\":\"getGameFileData\",\"gameId\":\"g\"}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"length\":1}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":0}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":-1,\"length\":1}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":0,\"length\":-1}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":0,\"length\":16777217}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":0,\"length\":1.5}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":\"0\",\"length\":1}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":99999999999999999999,\"length\":1}",
            "{\"type\":\"getGameFileChunk\",\"gameId\":\"g\",\"path\":\"p\",\"offset\":9223372036854775807,\"length\":1}",
            "{\"type\":\"hello\",\"listenPort\":42420,\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":7,\"listenPort\":42420,\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":0,\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":-1,\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":65536,\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":4294967297,\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":42420.5,\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":\"42420\",\"libraryRevision\":1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":42420}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":42420,\"libraryRevision\":-1}",
            "{\"type\":\"hello\",\"name\":\"n\",\"listenPort\":42420,\"libraryRevision\":1.0}",
            "{\"type\":\"libraryChanged\"}",
            "{\"type\":\"libraryChanged\",\"libraryRevision\":-1}",
            "{\"type\":\"libraryChanged\",\"libraryRevision\":\"3\"}",
            "{\"type\":\"libraryChanged\",\"libraryRevision\":null}",
            "{\"type\":\"libraryChanged\",\"libraryRevision\":99999999999999999999}",
            "{\"type\":\"Goodbye\"}", "{\"type\":\"ack\"}",
            "{\"type\":\"getManifest\"}", "{\"type\":\"getManifest\",\"gameId\":\"\"}",
            "{\"type\":\"getManifest\",\"gameId\":3}", "{\"type\":\"manifest\",\"gameId\":\"g\"}",
    })
    void malformedRequestsAreRejected(String json) {
        assertThatThrownBy(() -> codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> codec.decodeRequestFrame(frame(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] json = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> codec.decodeRequest(json)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void unknownExtraFieldsAreIgnored() throws Exception {
        byte[] json = "{\"type\":\"getGame\",\"gameId\":\"q\",\"future\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decodeRequest(json)).isEqualTo(new Request.GetGame("q"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"pong\",\"peerId\":\"a\",\"name\":\"n\",\"protocolVersion\":1}",
            "{\"type\":\"pong\",\"peerId\":\"a\",\"name\":\"n\",\"protocolVersion\":1,\"libraryRevision\":-1}",
            "{\"type\":\"pong\",\"peerId\":\"\",\"name\":\"n\",\"protocolVersion\":1,\"libraryRevision\":1}",
            "{\"type\":\"games\"}", "{\"type\":\"games\",\"games\":{}}", "{\"type\":\"games\",\"games\":[1]}",
            "{\"type\":\"games\",\"games\":[{\"id\":\"a\",\"name\":\"A\",\"version\":\"1\"}]}",
            "{\"type\":\"games\",\"games\":[{\"id\":\"a\",\"name\":\"A\",\"version\":\"1\",\"size\":-5}]}",
            "{\"type\":\"gameFiles\",\"gameId\":\"g\",\"files\":[{\"path\":\"a\",\"size\":1}]}",
            "{\"type\":\"gameFiles\",\"gameId\":\"g\",\"files\":[{\"path\":\"a\",\"size\":1,\"directory\":\"no\"}]}",
            "{\"type\":\"fileData\",\"path\":\"a\",\"size\":-1}", "{\"type\":\"fileData\",\"size\":1}",
            "{\"type\":\"chunk\",\"path\":\"a\",\"offset\":0,\"length\":1,\"sha256\":\"abc\"}",
            "{\"type\":\"chunk\",\"path\":\"a\",\"offset\":0,\"length\":1,\"sha256\":\"" + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855" + "\"}",
            "{\"type\":\"chunk\",\"path\":\"a\",\"offset\":0,\"length\":16777217,\"sha256\":\"" + SHA + "\"}",
            "{\"type\":\"chunk\",\"path\":\"a\",\"offset\":-2,\"length\":1,\"sha256\":\"" + SHA + "\"}",
            "{\"type\":\"gameNotFound\"}",
            "{\"type\":\"error\",\"code\":\"NOPE\",\"message\":\"m\"}", "{\"type\":\"error\",\"code\":\"BAD_REQUEST\"}",
            "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"m\"}",
            "{\"type\":\"ping\"}", "{\"type\":\"goodbye\"}", "{\"type\":\"ACK\"}",
    })
    void malformedResponsesAreRejected(String json) {
        assertThatThrownBy(() -> codec.decodeResponse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void oversizedMessagesCannotBeEncoded() {
        List<GameFile> files = new ArrayList<>();
        String longPath = "x".repeat(4000);
        for (int i = 0; i < 5000; i++) {
            files.add(new GameFile(longPath + i, i, false));
        }
        assertThatThrownBy(() -> codec.encode(new Response.GameFiles("g", files)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(new Request.GetGame("x".repeat(Protocol.MAX_REQUEST_FRAME))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsRefuseInvalidValues() {
        assertThatThrownBy(() -> new Request.GetGameFileChunk("g", "p", -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request.GetGameFileChunk("g", "p", 0, Protocol.MAX_CHUNK_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Response.Chunk("p", 0, 1, "zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Response.FileData("p", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request.Hello("n", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request.Hello("n", 65_536, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request.Hello("n", 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request.Hello(null, 1, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Request.LibraryChanged(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sha256HexCheck() {
        assertThat(MessageCodec.isSha256Hex(SHA)).isTrue();
        assertThat(MessageCodec.isSha256Hex(SHA.toUpperCase())).isFalse();
        assertThat(MessageCodec.isSha256Hex(SHA.substring(1))).isFalse();
        assertThat(MessageCodec.isSha256Hex(null)).isFalse();
    }

    private static String json(byte[] frame) {
        return new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8);
    }

    private static byte[] frame(byte[] json) {
        return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
    }
}
