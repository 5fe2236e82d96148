package io.lanspread.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.extension.RegisterExtension;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.lanspread.api.game.GameManifest;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.ProtocolException;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;

/**
 * The frame decoder on hostile bytes: requests and responses of protocols 1 to 3 (manifests with their
 * binary tail and getChunks included). It returns a message or throws {@link ProtocolException}; nothing
 * else escapes. What it returns is valid: encoding it again and decoding that gives the same message, a
 * request exists in the version it was decoded for, and a manifest's tail turns into a {@link GameManifest}
 * that describes the same header and tail.
 * <p>
 * The first input byte chooses what the rest is: {@code kind = b % 4} (0 a whole request frame, 1 a
 * request payload, 2 a response frame followed by its raw bytes, 3 a response payload) and
 * {@code version = 1 + (b / 4) % 3}.
 */
class FrameDecoderFuzzTest {

    @RegisterExtension
    static final FuzzStats STATS = new FuzzStats("frame-decoder");

    private final MessageCodec codec = new MessageCodec();

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\"type\"", "\"ping\"", "\"hello\"", "\"libraryChanged\"", "\"goodbye\"", "\"listGames\"",
            "\"getGame\"", "\"getManifest\"", "\"getGameFileData\"", "\"getGameFileChunk\"", "\"getChunks\"",
            "\"pong\"", "\"ack\"", "\"games\"", "\"gameFiles\"", "\"fileData\"", "\"chunk\"", "\"manifest\"",
            "\"gameNotFound\"", "\"error\"", "\"gameId\"", "\"path\"", "\"offset\"", "\"length\"", "\"chunks\"",
            "\"name\"", "\"listenPort\"", "\"libraryRevision\"", "\"peerId\"", "\"protocolVersion\"", "\"files\"",
            "\"size\"", "\"directory\"", "\"sha256\"", "\"version\"", "\"chunkSize\"", "\"hashBytes\"", "\"id\"",
            "\"code\"", "\"message\"", "\"FILE_CHANGED\"", "\"INVALID_PATH\"", "true", "false", "null",
            "524288", "1048576", "9223372036854775807", "\\x5cu0000", "\\x5cud800", "\\xef\\xbb\\xbf", "\\xc0\\x80"})
    void decodesOrRefuses(byte[] input) throws Exception {
        STATS.executed();
        if (input.length == 0) {
            return;
        }
        int selector = input[0] & 0xff;
        int kind = selector % 4;
        int version = 1 + (selector / 4) % 3;
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        try {
            switch (kind) {
                case 0 -> checkRequest(codec.decodeRequestFrame(bytes), 3);
                case 1 -> checkRequest(codec.decodeRequest(bytes, version), version);
                case 2 -> decodeResponseFrame(bytes, version);
                default -> checkResponse(codec.decodeResponse(bytes, version), version);
            }
        } catch (ProtocolException refused) {
            // the one documented way to refuse bytes
        }
    }

    private void checkRequest(Request request, int version) throws ProtocolException {
        assertTrue(request.sinceVersion() <= version, () -> request + " decoded in protocol " + version);
        assertEquals(request, codec.decodeRequestFrame(codec.encode(request)), "a request survives encoding");
    }

    private void checkResponse(Response response, int version) throws ProtocolException {
        byte[] frame = codec.encode(response);
        assertEquals(response, codec.decodeResponseFrame(ByteBuffer.wrap(frame), version),
                "a response survives encoding");
    }

    private void decodeResponseFrame(byte[] bytes, int version) throws ProtocolException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        Response response = codec.decodeResponseFrame(buf, version);
        int payload = ByteBuffer.wrap(bytes).getInt();
        assertEquals(4 + payload, buf.position(), "the decoder stops right after the frame");
        checkResponse(response, version);
        if (response instanceof Response.Manifest manifest && buf.remaining() == manifest.hashBytes()) {
            byte[] tail = new byte[buf.remaining()];
            buf.get(tail);
            GameManifest game = manifest.toGameManifest(tail);
            assertEquals(manifest, Response.Manifest.of(game), "the manifest describes its header");
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            for (byte[] part : Response.Manifest.hashTail(game)) {
                again.writeBytes(part);
            }
            assertArrayEquals(tail, again.toByteArray(), "the manifest keeps its tail");
        }
    }
}
