package io.lanspread.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The party key proof and its answer: in every protocol version, with a proof of exactly 64 lower-case hex digits. */
class PartyProofCodecTest {

    private static final String PROOF = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final MessageCodec codec = new MessageCodec();

    @Test
    void requestAndAnswerRoundTripInEveryVersion() throws Exception {
        byte[] request = codec.encode(new Request.PartyProof(PROOF));
        assertThat(json(request)).isEqualTo("{\"type\":\"partyProof\",\"proof\":\"" + PROOF + "\"}");
        byte[] answer = codec.encode(new Response.PartyProof(PROOF));
        for (int version = Protocol.VERSION_1; version <= Protocol.VERSION; version++) {
            assertThat(codec.decodeRequest(payload(request), version)).isEqualTo(new Request.PartyProof(PROOF));
            assertThat(codec.decodeResponseFrame(ByteBuffer.wrap(answer), version))
                    .isEqualTo(new Response.PartyProof(PROOF));
        }
    }

    @Test
    void theRefusalCodeRoundTrips() throws Exception {
        Response refusal = new Response.Error(ErrorCode.NOT_IN_PARTY, "this peer only answers its party");
        assertThat(codec.decodeResponseFrame(ByteBuffer.wrap(codec.encode(refusal)))).isEqualTo(refusal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"partyProof\"}",
            "{\"type\":\"partyProof\",\"proof\":\"\"}",
            "{\"type\":\"partyProof\",\"proof\":\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"}",
            "{\"type\":\"partyProof\",\"proof\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0\"}",
            "{\"type\":\"partyProof\",\"proof\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088\"}",
            "{\"type\":\"partyProof\",\"proof\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g\"}",
            "{\"type\":\"partyProof\",\"proof\":42}",
            "{\"type\":\"partyProof\",\"proof\":\"" + PROOF + "\",\"proof\":\"" + PROOF + "\"}"})
    void malformedProofsAreRefused(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> codec.decodeResponse(bytes)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void theRecordsRefuseMalformedProofs() {
        assertThatThrownBy(() -> new Request.PartyProof("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request.PartyProof(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Response.PartyProof(PROOF.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProofWithAnOverlongByteIsRefusedAsInvalidUtf8() {
        byte[] json = ("{\"type\":\"partyProof\",\"proof\":\"" + PROOF + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[json.length + 2];
        System.arraycopy(json, 0, bad, 0, json.length - 1);
        bad[json.length - 1] = (byte) 0xC0;
        bad[json.length] = (byte) 0x80;
        bad[json.length + 1] = '}';
        assertThatThrownBy(() -> codec.decodeRequest(bad)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("invalid UTF-8");
    }

    private static byte[] payload(byte[] frame) {
        byte[] json = new byte[frame.length - Protocol.LENGTH_PREFIX_BYTES];
        System.arraycopy(frame, Protocol.LENGTH_PREFIX_BYTES, json, 0, json.length);
        return json;
    }

    private static String json(byte[] frame) {
        return new String(payload(frame), StandardCharsets.UTF_8);
    }
}
