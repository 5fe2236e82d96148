package io.lanspread.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Protocol 4's have-maps and versioned chunk requests: wire form, limits, and what older connections see. */
class HaveCodecTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final MessageCodec codec = new MessageCodec();

    @Test
    void bitsAreLittleEndianBase64WithoutTrailingZeroBytes() throws Exception {
        BitSet held = new BitSet();
        held.set(0);
        held.set(9);
        held.set(10);
        // byte 0 = 0x01, byte 1 = 0x06
        assertThat(HaveBits.encode(held)).isEqualTo("AQY=");
        assertThat(HaveBits.decode("AQY=", 11)).isEqualTo(held);
        assertThat(HaveBits.encode(new BitSet())).isEmpty();
        assertThat(HaveBits.decode("", 0).isEmpty()).isTrue();
    }

    @Test
    void aLargeMapRoundTrips() throws Exception {
        int chunks = 8192 * 50 + 3; // a 200 GiB game
        BitSet held = new BitSet();
        for (int i = 0; i < chunks; i += 3) {
            held.set(i);
        }
        held.set(chunks - 1);
        String text = HaveBits.encode(held);
        assertThat(text.length()).isLessThanOrEqualTo(4 * ((chunks + 7) / 8 + 2) / 3);
        assertThat(HaveBits.decode(text, chunks)).isEqualTo(held);
    }

    @Test
    void refusesBitsBeyondTheChunksAndNonBase64() {
        BitSet held = new BitSet();
        held.set(11);
        String text = HaveBits.encode(held);
        assertThatThrownBy(() -> HaveBits.decode(text, 11)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("sets chunk 11 of 11");
        assertThatThrownBy(() -> HaveBits.decode("***", 64)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> HaveBits.decode("AAAAAAAAAAAA", 8)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("characters");
    }

    @Test
    void haveRequestAndAnswerRoundTrip() throws Exception {
        Request.GetHave request = new Request.GetHave("quake", "1.09", HASH, 7);
        assertThat(json(codec.encode(request))).isEqualTo("{\"type\":\"getHave\",\"gameId\":\"quake\",\"version\":\"1.09\","
                + "\"manifestSha256\":\"" + HASH + "\",\"revision\":7}");
        assertThat(codec.decodeRequest(payload(codec.encode(request)))).isEqualTo(request);

        BitSet held = new BitSet();
        held.set(2);
        Response.Have have = new Response.Have("quake", "1.09", 8, 20, false, held);
        assertThat(json(codec.encode(have))).isEqualTo("{\"type\":\"have\",\"gameId\":\"quake\",\"version\":\"1.09\","
                + "\"revision\":8,\"chunks\":20,\"complete\":false,\"bits\":\"BA==\"}");
        Response decoded = codec.decodeResponse(payload(codec.encode(have)));
        assertThat(decoded).isInstanceOf(Response.Have.class);
        assertThat(((Response.Have) decoded).held()).isEqualTo(held);
        assertThat(((Response.Have) decoded).revision()).isEqualTo(8);

        Response.Have unchanged = (Response.Have) codec.decodeResponse(payload(codec.encode(
                new Response.Have("quake", "1.09", 8, 20, false, null))));
        assertThat(unchanged.held()).isNull();
        Response.Have complete = (Response.Have) codec.decodeResponse(payload(codec.encode(
                new Response.Have("quake", "1.09", 0, 20, true, null))));
        assertThat(complete.complete()).isTrue();
    }

    @Test
    void haveDoesNotExistBeforeVersion4() {
        byte[] json = payload(codec.encode(new Request.GetHave("q", "1", HASH, 0)));
        assertThatThrownBy(() -> codec.decodeRequest(json, Protocol.VERSION_3)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("does not exist in protocol 3");
        byte[] answer = payload(codec.encode(new Response.Have("q", "1", 0, 1, true, null)));
        assertThatThrownBy(() -> codec.decodeResponse(answer, Protocol.VERSION_3)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("does not exist in protocol 3");
    }

    @Test
    void aHaveWithBadBitsIsRefused() {
        assertThatThrownBy(() -> decodeResponse("{\"type\":\"have\",\"gameId\":\"q\",\"version\":\"1\",\"revision\":1,"
                + "\"chunks\":3,\"complete\":false,\"bits\":\"/w==\"}")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("sets chunk 7 of 3");
        assertThatThrownBy(() -> decodeResponse("{\"type\":\"have\",\"gameId\":\"q\",\"version\":\"1\",\"revision\":1,"
                + "\"chunks\":3,\"complete\":true,\"bits\":\"AQ==\"}")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("complete");
    }

    @Test
    void aVersionedChunkRequestIsVersion4AndAnOlderConnectionIgnoresTheVersion() throws Exception {
        Request.GetChunks request = new Request.GetChunks("quake", "1.09", List.of(new Request.GetChunks.Range("a", 0, 5)));
        assertThat(request.sinceVersion()).isEqualTo(Protocol.VERSION_4);
        byte[] json = payload(codec.encode(request));
        assertThat(codec.decodeRequest(json, Protocol.VERSION_4)).isEqualTo(request);
        // an unknown extra field before version 4: the plain protocol 3 request
        assertThat(codec.decodeRequest(json, Protocol.VERSION_3))
                .isEqualTo(new Request.GetChunks("quake", List.of(new Request.GetChunks.Range("a", 0, 5))));
    }

    @Test
    void chunkNotHeldIsAnErrorCode() throws Exception {
        Response.Error error = new Response.Error(ErrorCode.CHUNK_NOT_HELD, "chunk 3 is not held");
        assertThat(codec.decodeResponse(payload(codec.encode(error)))).isEqualTo(error);
    }

    private Response decodeResponse(String json) throws ProtocolException {
        return codec.decodeResponse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(byte[] frame) {
        return new String(payload(frame), StandardCharsets.UTF_8);
    }

    private static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, 4, frame.length);
    }
}
