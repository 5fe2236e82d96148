package io.lanspread.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Protocol 3's getChunks: encoding, limits, and refusal on older connections. */
class GetChunksCodecTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void roundTrips() throws Exception {
        Request.GetChunks request = new Request.GetChunks("quake", List.of(new Request.GetChunks.Range("id1/pak0.pak", 0, 524288),
                new Request.GetChunks.Range("id1/pak1.pak", 1048576, 17)));
        byte[] frame = codec.encode(request);
        assertThat(new String(Arrays.copyOfRange(frame, 4, frame.length), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"getChunks\",\"gameId\":\"quake\",\"chunks\":[{\"path\":\"id1/pak0.pak\",\"offset\":0,"
                        + "\"length\":524288},{\"path\":\"id1/pak1.pak\",\"offset\":1048576,\"length\":17}]}");
        assertThat(codec.decodeRequest(payload(frame))).isEqualTo(request);
        assertThat(request.sinceVersion()).isEqualTo(Protocol.VERSION_3);
    }

    @Test
    void doesNotExistBeforeVersion3() {
        byte[] json = payload(codec.encode(new Request.GetChunks("q", List.of(new Request.GetChunks.Range("a", 0, 1)))));
        assertThatThrownBy(() -> codec.decodeRequest(json, Protocol.VERSION_2)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("does not exist in protocol 2");
    }

    @Test
    void refusesEmptyTooManyAndBadRanges() {
        assertThatThrownBy(() -> decode("{\"type\":\"getChunks\",\"gameId\":\"q\",\"chunks\":[]}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("1 to 32");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= Protocol.MAX_CHUNKS_PER_REQUEST; i++) {
            many.add("{\"path\":\"a\",\"offset\":" + i + ",\"length\":1}");
        }
        assertThatThrownBy(() -> decode("{\"type\":\"getChunks\",\"gameId\":\"q\",\"chunks\":[" + String.join(",", many) + "]}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("not 33");
        assertThatThrownBy(() -> decode("{\"type\":\"getChunks\",\"gameId\":\"q\",\"chunks\":[{\"path\":\"a\",\"offset\":0,\"length\":0}]}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> decode("{\"type\":\"getChunks\",\"gameId\":\"q\",\"chunks\":[{\"path\":\"a\",\"offset\":0,\"length\":1048577}]}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> decode("{\"type\":\"getChunks\",\"gameId\":\"q\",\"chunks\":[{\"path\":\"\",\"offset\":0,\"length\":1}]}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("empty field 'path'");
        assertThatThrownBy(() -> decode("{\"type\":\"getChunks\",\"gameId\":\"q\",\"chunks\":{}}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("non-array");
        assertThatThrownBy(() -> decode("{\"type\":\"getChunks\",\"gameId\":\"q\",\"chunks\":[{\"path\":\"a\",\"offset\":-1,\"length\":1}]}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("negative");
    }

    private Request decode(String json) throws ProtocolException {
        return codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, Protocol.LENGTH_PREFIX_BYTES, frame.length);
    }
}
