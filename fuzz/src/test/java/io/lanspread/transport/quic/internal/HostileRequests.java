package io.lanspread.transport.quic.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.Request;

/**
 * Turns fuzz bytes into a well-formed file request whose game id, path and range are drawn mostly from names of
 * {@link HostileLibraryFolder} and hostile path pieces ({@code ..}, links that lead out, absolute paths, NUL,
 * backslashes), so that most inputs reach the path checks and the file reads instead of the JSON parser.
 */
final class HostileRequests {

    private static final List<String> GAME_IDS = List.of("alpha", "beta", "linked", "notagame", "..", ".", "",
            "games-evil", "alpha/", "/alpha", "alpha\u0000", "ALPHA", "alpha/..", "../games/alpha");
    /** Paths of files in (or, through links, reached from) the games; half the paths are one of these. */
    private static final List<String> FILES = List.of("readme.txt", "data/big.bin", "data/empty.bin",
            "data/sub dir/ünïcødé.txt", "version.ini", "readme-link", "x.txt", "alpha-readme", "data.bin", "leak",
            "leakdir/inner.bin", "sibling/readme.txt", "absolute", "dangling", "data");
    private static final List<String> SEGMENTS = List.of("..", ".", "", "leak", "leakdir", "inner.bin", "absolute",
            "sibling", "readme.txt", "data", "big.bin", "empty.bin", "sub dir", "ünïcødé.txt", "dangling",
            "readme-link", "alpha-readme", "x.txt", "version.ini", "data.bin", "alpha", "beta", "games", "games-evil",
            "secret.txt", "outside", "elsewhere", "linked", "\u0000", "\\", "..\\..", "%2e%2e", "C:", "~", "/");
    private static final long[] OFFSETS = {0, 1, 12, 4095, 524287, 524288, 716799, 716800, 716817, 716818,
            Long.MAX_VALUE - Protocol.MAX_CHUNK_LENGTH};
    private static final int[] LENGTHS = {0, 1, 13, 600, 4096, 524288, 524289, Protocol.MAX_CHUNK_LENGTH};

    private final ByteBuffer in;

    private HostileRequests(byte[] bytes) {
        in = ByteBuffer.wrap(bytes);
    }

    /** The request frame these bytes stand for. */
    static byte[] frame(byte[] bytes, MessageCodec codec) {
        return codec.encode(new HostileRequests(bytes).request());
    }

    private Request request() {
        String gameId = u8() < 128 ? "alpha" : pick(GAME_IDS);
        switch (u8() % 5) {
            case 0:
                return new Request.GetGame(gameId);
            case 1:
                return new Request.GetManifest(gameId);
            case 2:
                return new Request.GetGameFileData(gameId, path());
            case 3:
                int length = length(0);
                return new Request.GetGameFileChunk(gameId, path(), offset(length), length);
            default:
                List<Request.GetChunks.Range> ranges = new ArrayList<>();
                for (int n = 1 + u8() % 4; n > 0; n--) {
                    int size = length(1);
                    ranges.add(new Request.GetChunks.Range(path(), offset(size), size));
                }
                return new Request.GetChunks(gameId, ranges);
        }
    }

    /** A known file's path, or one to four pieces joined by slashes, some of them free text, sometimes absolute. */
    private String path() {
        if (u8() < 128) {
            return pick(FILES);
        }
        StringBuilder path = new StringBuilder(u8() % 8 == 0 ? "/" : "");
        for (int n = 1 + u8() % 4; n > 0; n--) {
            path.append(u8() % 4 == 0 ? text() : pick(SEGMENTS));
            if (n > 1) {
                path.append('/');
            }
        }
        return path.isEmpty() ? "x" : path.toString(); // the codec refuses empty paths before the server sees them
    }

    /** An offset from which {@code length} bytes do not overflow a long (the codec refuses such ranges). */
    private long offset(int length) {
        int choice = u8();
        long offset = choice < 200 ? OFFSETS[choice % OFFSETS.length] : in.remaining() >= 8 ? in.getLong() & Long.MAX_VALUE : 0;
        return Math.min(offset, Long.MAX_VALUE - length);
    }

    private int length(int min) {
        int choice = u8();
        int length = choice < 200 ? LENGTHS[choice % LENGTHS.length] : (in.remaining() >= 4 ? in.getInt() : 0) & 0xFFFFF;
        return Math.max(min, Math.min(length, Protocol.MAX_CHUNK_LENGTH));
    }

    private String text() {
        int length = Math.min(u8() % 16, in.remaining());
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private String pick(List<String> choices) {
        return choices.get(u8() % choices.size());
    }

    private int u8() {
        return in.hasRemaining() ? in.get() & 0xff : 0;
    }
}
