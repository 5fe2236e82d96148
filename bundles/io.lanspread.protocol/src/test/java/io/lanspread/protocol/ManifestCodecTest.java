package io.lanspread.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/** Protocol 2: getManifest, the manifest header with its binary tail, and version-dependent decoding. */
class ManifestCodecTest {

    private static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final int CHUNK = GameManifest.CHUNK_SIZE;

    private final MessageCodec codec = new MessageCodec();

    @Test
    void manifestRoundTripsThroughHeaderAndTail() throws Exception {
        GameManifest manifest = new GameManifest("quake", "1.09", CHUNK, List.of(
                FileManifest.directory("id1"),
                file("id1/pak0.pak", 3L * CHUNK + 17, 1),
                file("id1/empty.txt", 0, 2),
                file("exact.bin", CHUNK, 3)));

        Response.Manifest header = Response.Manifest.of(manifest);
        assertThat(header.hashBytes()).isEqualTo((4 + 0 + 1) * 32L);
        ByteBuffer buf = ByteBuffer.wrap(codec.encode(header));
        Response decoded = codec.decodeResponseFrame(buf);
        assertThat(buf.hasRemaining()).isFalse();
        assertThat(decoded).isEqualTo(header);

        byte[] tail = concat(Response.Manifest.hashTail(manifest));
        assertThat(tail).hasSize((int) header.hashBytes());
        GameManifest back = ((Response.Manifest) decoded).toGameManifest(tail);
        assertThat(back).isEqualTo(manifest);
        assertThat(back.file("id1/pak0.pak").orElseThrow().chunkHash(3))
                .isEqualTo(manifest.file("id1/pak0.pak").orElseThrow().chunkHash(3));
    }

    @Test
    void manifestHeaderHasTheDocumentedJson() {
        GameManifest manifest = new GameManifest("g", "2", CHUNK,
                List.of(FileManifest.directory("d"), file("d/a", 5, 1)));
        assertThat(json(codec.encode(Response.Manifest.of(manifest)))).isEqualTo("{\"type\":\"manifest\",\"gameId\":\"g\","
                + "\"version\":\"2\",\"chunkSize\":524288,\"files\":[{\"path\":\"d\",\"size\":0,\"directory\":true},"
                + "{\"path\":\"d/a\",\"size\":5,\"directory\":false,\"sha256\":\""
                + manifest.files().get(1).sha256Hex() + "\"}],\"hashBytes\":32}");
        assertThat(json(codec.encode(new Request.GetManifest("g")))).isEqualTo("{\"type\":\"getManifest\",\"gameId\":\"g\"}");
    }

    @Test
    void aTwoHundredGibGameFitsTheTail() {
        long size = 200L * 1024 * 1024 * 1024;
        Response.Manifest header = new Response.Manifest("big", "1", CHUNK,
                List.of(new Response.ManifestFile("huge.pak", size, false, SHA)), size / CHUNK * 32);
        assertThat(header.hashBytes()).isEqualTo(409_600L * 32).isLessThanOrEqualTo(Protocol.MAX_MANIFEST_HASH_BYTES);
    }

    @Test
    void tailOfTheWrongLengthIsRefused() throws Exception {
        Response.Manifest header = Response.Manifest.of(new GameManifest("g", "1", CHUNK, List.of(file("a", 10, 1))));
        assertThatThrownBy(() -> header.toGameManifest(new byte[31])).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> header.toGameManifest(new byte[33])).isInstanceOf(ProtocolException.class);
        assertThat(header.toGameManifest(new byte[32]).files()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // hashBytes that the sizes do not call for
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":1,\"directory\":false,\"sha256\":\"" + SHA + "\"}],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":1,\"directory\":false,\"sha256\":\"" + SHA + "\"}],\"hashBytes\":64}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":32}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":-1}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":1.5}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":\"0\"}",
            // over the tail limit (2 TiB of 512 KiB chunks), and sizes whose chunk count overflows
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":2199023255552,\"directory\":false,\"sha256\":\"" + SHA + "\"}],\"hashBytes\":134217728}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":1,\"files\":[{\"path\":\"a\",\"size\":9223372036854775807,\"directory\":false,\"sha256\":\"" + SHA + "\"}],\"hashBytes\":0}",
            // chunk size
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":0,\"files\":[],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":-524288,\"files\":[],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":1048577,\"files\":[],\"hashBytes\":0}",
            // missing or wrong fields
            "{\"type\":\"manifest\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"files\":[],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[]}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":{},\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[\"a\"],\"hashBytes\":0}",
            // bad entries: no hash, a bad hash, a directory with a hash or a size, no kind, duplicate paths
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":1,\"directory\":false}],\"hashBytes\":32}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":1,\"directory\":false,\"sha256\":\"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"}],\"hashBytes\":32}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":0,\"directory\":true,\"sha256\":\"" + SHA + "\"}],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":4,\"directory\":true}],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":0}],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"\",\"size\":0,\"directory\":true}],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":-1,\"directory\":false,\"sha256\":\"" + SHA + "\"}],\"hashBytes\":0}",
            "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[{\"path\":\"a\",\"size\":0,\"directory\":true},{\"path\":\"a\",\"size\":0,\"directory\":true}],\"hashBytes\":0}",
    })
    void malformedManifestsAreRejected(String json) {
        assertThatThrownBy(() -> codec.decodeResponse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void validManifestJsonDecodes() throws Exception {
        String json = "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":["
                + "{\"path\":\"a\",\"size\":524289,\"directory\":false,\"sha256\":\"" + SHA + "\",\"future\":1},"
                + "{\"path\":\"d\",\"size\":0,\"directory\":true}],\"hashBytes\":64}";
        Response.Manifest m = (Response.Manifest) codec.decodeResponse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(m.files()).containsExactly(new Response.ManifestFile("a", 524_289, false, SHA),
                new Response.ManifestFile("d", 0, true, null));
        assertThat(m.hashBytes()).isEqualTo(64);
    }

    @Test
    void aManifestHeaderNeedingMoreThanTheTailLimitCannotBeBuilt() {
        long tooBig = (Protocol.MAX_MANIFEST_HASH_BYTES / 32 + 1L) * CHUNK;
        assertThatThrownBy(() -> new Response.Manifest("g", "1", CHUNK,
                List.of(new Response.ManifestFile("a", tooBig, false, SHA)), (tooBig / CHUNK) * 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void protocolOneKnowsNoManifestAndNeedsAChunkHash() throws Exception {
        byte[] getManifest = "{\"type\":\"getManifest\",\"gameId\":\"g\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decodeRequest(getManifest, Protocol.VERSION_2)).isEqualTo(new Request.GetManifest("g"));
        assertThat(codec.decodeRequest(getManifest)).isEqualTo(new Request.GetManifest("g"));
        assertThatThrownBy(() -> codec.decodeRequest(getManifest, Protocol.VERSION_1))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("protocol 1");

        byte[] manifest = "{\"type\":\"manifest\",\"gameId\":\"g\",\"version\":\"1\",\"chunkSize\":524288,\"files\":[],\"hashBytes\":0}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decodeResponse(manifest, Protocol.VERSION_2)).isInstanceOf(Response.Manifest.class);
        assertThatThrownBy(() -> codec.decodeResponse(manifest, Protocol.VERSION_1)).isInstanceOf(ProtocolException.class);

        byte[] bareChunk = "{\"type\":\"chunk\",\"path\":\"a\",\"offset\":0,\"length\":3}".getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decodeResponse(bareChunk, Protocol.VERSION_2)).isEqualTo(new Response.Chunk("a", 0, 3, null));
        assertThatThrownBy(() -> codec.decodeResponse(bareChunk, Protocol.VERSION_1)).isInstanceOf(ProtocolException.class);
        byte[] badHash = "{\"type\":\"chunk\",\"path\":\"a\",\"offset\":0,\"length\":3,\"sha256\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decodeResponse(badHash, Protocol.VERSION_2)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void chunkWithoutHashEncodesWithoutTheField() throws Exception {
        byte[] frame = codec.encode(new Response.Chunk("a", 7, 3, null));
        assertThat(json(frame)).isEqualTo("{\"type\":\"chunk\",\"path\":\"a\",\"offset\":7,\"length\":3}");
        assertThat(codec.decodeResponseFrame(ByteBuffer.wrap(frame))).isEqualTo(new Response.Chunk("a", 7, 3, null));
    }

    @Test
    void fileChangedIsAnErrorCode() throws Exception {
        Response.Error error = new Response.Error(ErrorCode.FILE_CHANGED, "a changed since it was hashed");
        assertThat(codec.decodeResponseFrame(ByteBuffer.wrap(codec.encode(error)))).isEqualTo(error);
    }

    @Test
    void alpnNamesMapToVersions() {
        assertThat(Protocol.APPLICATION_PROTOCOLS).containsExactly("lanspread/4", "lanspread/3", "lanspread/2",
                "lanspread/1");
        assertThat(Protocol.versionOf("lanspread/4")).isEqualTo(4);
        assertThat(Protocol.versionOf("lanspread/3")).isEqualTo(3);
        assertThat(Protocol.versionOf("lanspread/2")).isEqualTo(2);
        assertThat(Protocol.versionOf("lanspread/1")).isEqualTo(1);
        assertThat(Protocol.versionOf("h3")).isZero();
        assertThat(Protocol.versionOf(null)).isZero();
        assertThat(Protocol.VERSION).isEqualTo(4);
    }

    private static FileManifest file(String path, long size, long seed) {
        int chunks = (int) ((size + CHUNK - 1) / CHUNK);
        Random random = new Random(seed);
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        byte[] hashes = new byte[chunks * 32];
        random.nextBytes(hashes);
        return new FileManifest(path, size, false, sha, hashes);
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static String json(byte[] frame) {
        return new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8);
    }
}
