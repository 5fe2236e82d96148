package io.lanspread.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;

/**
 * Writes the fuzz targets' seed inputs into {@code src/test/resources} (valid messages, hostile paths, sample
 * version.ini files and API paths); the files are committed, so this runs only when the seeds should change:
 * {@code java -cp <the module's test classpath> io.lanspread.fuzz.WriteSeedInputs fuzz/src/test/resources}.
 * Jazzer starts from these inputs and replays them, with every finding kept beside them, as regression tests.
 */
public final class WriteSeedInputs {
    private WriteSeedInputs() {
    }

    static final MessageCodec C = new MessageCodec();
    static final String SHA = "0123456789abcdef".repeat(4);
    static Path res;

    static void write(String target, String name, byte[]... parts) throws IOException {
        Path dir = res.resolve(target);
        Files.createDirectories(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        Files.write(dir.resolve(name), out.toByteArray());
    }
    static byte[] b(int... v) { byte[] r = new byte[v.length]; for (int i = 0; i < v.length; i++) r[i] = (byte) v[i]; return r; }
    static byte[] payload(byte[] frame) { return Arrays.copyOfRange(frame, 4, frame.length); }
    static byte[] s(String x) { return x.getBytes(StandardCharsets.UTF_8); }

    public static void main(String[] args) throws Exception {
        res = Path.of(args[0]);
        List<Request> requests = List.of(new Request.Ping(), new Request.Hello("peer", 42420, 7),
                new Request.LibraryChanged(3), new Request.Goodbye(), new Request.ListGames(),
                new Request.GetGame("alpha"), new Request.GetManifest("alpha"),
                new Request.GetGameFileData("alpha", "readme.txt"),
                new Request.GetGameFileChunk("alpha", "data/big.bin", 524288, 524288),
                new Request.GetChunks("alpha", List.of(new Request.GetChunks.Range("data/big.bin", 0, 524288),
                        new Request.GetChunks.Range("readme.txt", 2, 5))));
        String fd = "io/lanspread/fuzz/FrameDecoderFuzzTestInputs/decodesOrRefuses";
        for (Request r : requests) {
            String type = r.getClass().getSimpleName();
            write(fd, "request-frame-" + type, b(0), C.encode(r));
            write(fd, "request-v" + Math.max(1, r.sinceVersion()) + "-" + type, b(1 + 4 * (Math.max(1, r.sinceVersion()) - 1)), payload(C.encode(r)));
        }
        List<Response> responses = List.of(new Response.Pong("a".repeat(64), "peer", 3, 9), new Response.Ack(),
                new Response.Games(List.of(new Game("alpha", "Alpha", "1.0", 123))),
                new Response.GameFiles("alpha", List.of(new GameFile("data", 0, true), new GameFile("data/x", 5, false))),
                new Response.GameNotFound("nope"), new Response.Error(ErrorCode.FILE_CHANGED, "changed"));
        for (Response r : responses) {
            String type = r.getClass().getSimpleName();
            write(fd, "response-frame-v3-" + type, b(2 + 8), C.encode(r));
            write(fd, "response-v1-" + type, b(3), payload(C.encode(r)));
        }
        write(fd, "response-frame-v3-FileData", b(10), C.encode(new Response.FileData("data/x", 5)), s("hello"));
        write(fd, "response-frame-v1-Chunk", b(2), C.encode(new Response.Chunk("data/x", 0, 5, SHA)), s("hello"));
        write(fd, "response-frame-v2-Chunk", b(6), C.encode(new Response.Chunk("data/x", 1, 3, null)), s("ell"));
        Response.Manifest m = new Response.Manifest("alpha", "1.0", 4, List.of(
                new Response.ManifestFile("data", 0, true, null),
                new Response.ManifestFile("data/x", 9, false, SHA),
                new Response.ManifestFile("empty", 0, false, SHA)), 3 * 32);
        byte[] tail = new byte[96];
        for (int k = 0; k < tail.length; k++) tail[k] = (byte) (k * 7);
        write(fd, "response-frame-v3-Manifest", b(10), C.encode(m), tail);
        write(fd, "response-frame-v2-Manifest", b(6), C.encode(m), tail);
        write(fd, "response-v2-Manifest", b(7), payload(C.encode(m)));

        // the request handler: connection version selector (1 + b % 3), then the stream
        String rh = "io/lanspread/transport/quic/internal/RequestHandlerFuzzTestInputs/servesOnlyTheGamesFolder";
        List<String[]> paths = List.of(new String[] {"alpha", "readme.txt"}, new String[] {"alpha", "data/big.bin"},
                new String[] {"alpha", "data/empty.bin"}, new String[] {"alpha", "data/sub dir/ünïcødé.txt"},
                new String[] {"alpha", "leak"}, new String[] {"alpha", "leakdir/inner.bin"},
                new String[] {"alpha", "absolute"}, new String[] {"alpha", "sibling/readme.txt"},
                new String[] {"alpha", "dangling"}, new String[] {"alpha", "readme-link"},
                new String[] {"alpha", "../../secret.txt"}, new String[] {"alpha", "../../games-evil/alpha/readme.txt"},
                new String[] {"alpha", "/etc/passwd"}, new String[] {"alpha", "data/../readme.txt"},
                new String[] {"alpha", "version.ini"}, new String[] {"beta", "alpha-readme"}, new String[] {"beta", "x.txt"},
                new String[] {"linked", "data.bin"}, new String[] {"notagame", "file.txt"},
                new String[] {"..", "secret.txt"}, new String[] {"games-evil", "alpha/readme.txt"});
        for (int v = 1; v <= 3; v++) {
            byte[] sel = b(v - 1);
            int n = 0;
            for (String[] p : paths) {
                String tag = "v" + v + "-" + (n++);
                write(rh, tag + "-file", sel, C.encode(new Request.GetGameFileData(p[0], p[1])));
                write(rh, tag + "-chunk", sel, C.encode(new Request.GetGameFileChunk(p[0], p[1], 1, 600)));
            }
            write(rh, "v" + v + "-chunk-end", sel, C.encode(new Request.GetGameFileChunk("alpha", "data/big.bin", 716800, 17)));
            write(rh, "v" + v + "-chunk-past-end", sel, C.encode(new Request.GetGameFileChunk("alpha", "data/big.bin", 716800, 18)));
            write(rh, "v" + v + "-chunk-empty", sel, C.encode(new Request.GetGameFileChunk("alpha", "readme.txt", 0, 0)));
            write(rh, "v" + v + "-ping", sel, C.encode(new Request.Ping()));
            write(rh, "v" + v + "-hello", sel, C.encode(new Request.Hello("fuzz", 4242, 1)));
            write(rh, "v" + v + "-list", sel, C.encode(new Request.ListGames()));
            write(rh, "v" + v + "-game", sel, C.encode(new Request.GetGame("alpha")));
            write(rh, "v" + v + "-game-linked", sel, C.encode(new Request.GetGame("linked")));
            write(rh, "v" + v + "-game-notagame", sel, C.encode(new Request.GetGame("notagame")));
            write(rh, "v" + v + "-garbage", sel, s("\0\0\0\5{\"x\":"));
            if (v >= 2) {
                write(rh, "v" + v + "-manifest", sel, C.encode(new Request.GetManifest("alpha")));
                write(rh, "v" + v + "-manifest-linked", sel, C.encode(new Request.GetManifest("linked")));
            }
            if (v >= 3) {
                write(rh, "v3-chunks", sel, C.encode(new Request.GetChunks("alpha", List.of(
                        new Request.GetChunks.Range("data/big.bin", 524000, 1000),
                        new Request.GetChunks.Range("leak", 0, 10),
                        new Request.GetChunks.Range("readme.txt", 0, 13),
                        new Request.GetChunks.Range("../beta/x.txt", 0, 3)))));
                write(rh, "v3-chunks-linked", sel, C.encode(new Request.GetChunks("linked", List.of(
                        new Request.GetChunks.Range("data.bin", 0, 10)))));
            }
        }

        // structured requests (selector 3 to 5): HostileRequests reads the rest as choices
        java.util.Random random = new java.util.Random(8);
        for (int v = 1; v <= 3; v++) {
            for (int n = 0; n < 6; n++) {
                byte[] choices = new byte[40];
                random.nextBytes(choices);
                write(rh, "structured-v" + v + "-" + n, b(2 + v), choices);
            }
        }

        String vi = "io/lanspread/catalog/internal/VersionIniFuzzTestInputs/parsesOrFindsNothing";
        write(vi, "plain", s("1.0.3\n"));
        write(vi, "keys", s("[game]\nname = Quake \nversion=\"1.09\"\n"));
        write(vi, "comments", s("; comment\n# other\n[x]\n\nbuild.id=7\n2.0 final\r\n"));
        write(vi, "bom", b(0xEF, 0xBB, 0xBF), s("Version=3\r\n"));
        write(vi, "utf16le", b(0xFF, 0xFE), "version=1\n".getBytes(StandardCharsets.UTF_16LE));
        write(vi, "utf16be", b(0xFE, 0xFF), "name=X\nv\n".getBytes(StandardCharsets.UTF_16BE));
        write(vi, "malformed", b('v', '=', 0xC0, 0xAF, '\n', 0xFF));

        String ap = "io/lanspread/bridge/http/internal/ApiPathFuzzTestInputs/parsesOrRefuses";
        String[] apiPaths = {"/games/alpha", "/games/half%20life/files", "/downloads/3/resume", "/games/%2e%2e",
                "/games/a%2Fb", "/games/%c3%a9t%c3%a9", "/games/%zz", "/games/%", "//", "", "/", "/status",
                "/games/..", "/games/ ", "/games/%00", "/games/\u00e9"};
        int k = 0;
        for (String p : apiPaths) {
            write(ap, "utf8-" + k, b(0), s(p));
            write(ap, "latin1-" + (k++), b(1), p.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
