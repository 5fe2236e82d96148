package io.lanspread.transport.quic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.lanspread.catalog.internal.RunningLibrary;
import io.lanspread.fuzz.Configs;
import io.lanspread.fuzz.FuzzStats;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.ProtocolException;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;

/**
 * The server's request handler on hostile request streams, over real QUIC, serving a real {@code GameLibrary}
 * on a real folder with files outside the games folder and links that lead there ({@link HostileLibraryFolder}).
 * For every stream: no file outside the games folder was read (their access times show it); the answer is
 * well-formed frames ending with FIN; every file byte it carries is the byte of a file inside the named game's
 * own folder, at the announced offset (so nothing outside the games folder is ever served, whatever the path);
 * an invalid request gets one {@code BAD_REQUEST}; no answer is a
 * {@code SERVER_ERROR} (the handler's net for exceptions that escaped); and the heap allocated to answer stays
 * within a bound proportional to the answer ({@link #allocationBound}).
 * <p>
 * The first input byte chooses the connection's protocol ({@code 1 + b % 3}) and whether the rest is sent
 * as the stream ({@code b / 3} even) or stands for a well-formed request with hostile names
 * ({@link HostileRequests}).
 */
class RequestHandlerFuzzTest {

    @RegisterExtension
    static final FuzzStats STATS = new FuzzStats("request-handler");

    private static final long TIMEOUT_MILLIS = 15_000;
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private static HostileLibraryFolder folder;
    private static RunningLibrary library;
    private static QuicPeerServer server;
    private static IdentityComponent serverIdentity;
    private static final List<RawQuicClient> clients = new ArrayList<>();
    private static long largestAllocation;
    private static long bodies;
    private static long bodyBytes;
    private static long refusals;

    private final MessageCodec codec = new MessageCodec();

    @BeforeAll
    static void start() throws Exception {
        folder = new HostileLibraryFolder();
        library = new RunningLibrary(folder.games, folder.state.resolve("library"));
        library.awaitGames(Set.of("alpha", "beta"), Duration.ofSeconds(60));
        serverIdentity = identity("server");
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class, Map.of("bind.address", "127.0.0.1",
                "port", 0, "io.threads", 2, "request.timeout.seconds", 2)), library.library(), serverIdentity);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
        IdentityComponent clientIdentity = identity("client");
        for (String alpn : List.of(Protocol.ALPN_1, Protocol.ALPN_2, Protocol.ALPN_3)) {
            clients.add(new RawQuicClient(address, clientIdentity, alpn, MAX_ANSWER_BYTES));
        }
        warmUp();
        folder.markOutsideUnread();
    }

    /**
     * Every kind of request once on every connection before fuzzing, so that the handshakes, class loading
     * (and Jazzer instrumenting those classes) are not counted as the allocation of a fuzzed request.
     */
    private static void warmUp() throws Exception {
        MessageCodec codec = new MessageCodec();
        List<Request> requests = List.of(new Request.Ping(), new Request.ListGames(), new Request.GetGame("alpha"),
                new Request.GetGame("nope"), new Request.GetManifest("alpha"),
                new Request.GetGameFileData("alpha", "readme.txt"), new Request.GetGameFileData("alpha", "../x"),
                new Request.GetGameFileChunk("alpha", "data/big.bin", 1000, 100_000),
                new Request.GetGameFileChunk("alpha", "data/big.bin", 0, 0),
                new Request.GetGameFileChunk("alpha", "missing", 0, 10),
                new Request.GetChunks("alpha", List.of(new Request.GetChunks.Range("data/big.bin", 0, 524288),
                        new Request.GetChunks.Range("readme.txt", 0, 5), new Request.GetChunks.Range("leak", 0, 5))),
                new Request.GetChunks("nope", List.of(new Request.GetChunks.Range("x", 0, 1))));
        for (RawQuicClient client : clients) {
            for (int round = 0; round < 3; round++) {
                for (Request request : requests) {
                    client.exchange(codec.encode(request), TIMEOUT_MILLIS);
                }
                client.exchange(new byte[] {0, 0, 0, 2, '{', '}'}, TIMEOUT_MILLIS);
                client.exchange(new byte[] {'x'}, TIMEOUT_MILLIS);
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        System.out.printf("FUZZ request-handler: %d file bodies (%d KiB) checked against the disk, %d refusals; "
                + "the server allocated at most %d KiB of heap for one answer%n", bodies, bodyBytes / 1024, refusals,
                largestAllocation / 1024);
        clients.forEach(RawQuicClient::close);
        if (server != null) {
            server.deactivate();
        }
        if (library != null) {
            library.close();
        }
        if (folder != null) {
            folder.close();
        }
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\"type\"", "\"getGame\"", "\"getManifest\"", "\"getGameFileData\"", "\"getGameFileChunk\"",
            "\"getChunks\"", "\"listGames\"", "\"ping\"", "\"hello\"", "\"gameId\"", "\"path\"", "\"offset\"",
            "\"length\"", "\"chunks\"", "\"alpha\"", "\"beta\"", "\"linked\"", "\"notagame\"", "\"..\"", "../",
            "\"leak\"", "\"leakdir/inner.bin\"", "\"absolute\"", "\"sibling/readme.txt\"", "\"dangling\"",
            "\"readme-link\"", "\"alpha-readme\"", "\"data/big.bin\"", "\"data/empty.bin\"", "\"version.ini\"",
            "\"data.bin\"", "\"x.txt\"", "\"readme.txt\"", "../games-evil/alpha/readme.txt", "/", "\\x5c\\x5c",
            "\\x5cu0000",
            "524288", "1048576", "716817"})
    void servesOnlyTheGamesFolder(byte[] input) throws Exception {
        STATS.executed();
        if (input.length == 0) {
            return;
        }
        int version = 1 + (input[0] & 0xff) % 3;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        boolean structured = (input[0] & 0xff) / 3 % 2 == 1;
        byte[] stream = structured ? HostileRequests.frame(rest, codec) : rest;
        long before = serverAllocatedBytes();
        RawQuicClient.Answer answer = clients.get(version - 1).exchange(stream, TIMEOUT_MILLIS);
        long allocated = serverAllocatedBytes() - before;
        largestAllocation = Math.max(largestAllocation, allocated);

        folder.readOutside().ifPresent(file -> fail("answering " + escaped(stream) + " read " + file
                + ", which lies outside the games folder"));
        assertTrue(answer.finished(), "the server ended its answer with a reset instead of FIN");
        Optional<Request> request = decodable(stream, version);
        if (request.isEmpty()) {
            List<Response> frames = frames(answer.bytes(), version, null);
            assertEquals(1, frames.size(), () -> "an invalid request gets one answer, not " + frames);
            assertTrue(frames.get(0) instanceof Response.Error e && e.code() == ErrorCode.BAD_REQUEST,
                    () -> "an invalid request is a BAD_REQUEST, not " + frames.get(0));
        } else {
            checkAnswer(request.get(), frames(answer.bytes(), version, request.get()));
        }
        assertTrue(allocated <= allocationBound(answer.bytes().length), () -> "answering " + request + " in "
                + answer.bytes().length + " bytes allocated " + allocated + " bytes of heap");
    }

    /**
     * Heap the server's and the library's threads may allocate for an answer of {@code answerBytes}: a request
     * may cost what it sends back, not more (the slack absorbs a class loaded and instrumented late).
     */
    private static long allocationBound(long answerBytes) {
        return 16L * 1024 * 1024 + 2 * answerBytes;
    }

    /** The request the server must see in these bytes, or empty when it must refuse them. */
    private Optional<Request> decodable(byte[] stream, int version) {
        try {
            Request request = codec.decodeRequestFrame(stream);
            return request.sinceVersion() <= version ? Optional.of(request) : Optional.empty();
        } catch (ProtocolException e) {
            return Optional.empty();
        }
    }

    /**
     * Splits the answer into frames, checking each file body against the disk as it goes.
     *
     * @param request what was asked (null for a refused request, whose answer carries no body)
     */
    private List<Response> frames(byte[] answer, int version, Request request) throws Exception {
        ByteBuffer buf = ByteBuffer.wrap(answer);
        List<Response> frames = new ArrayList<>();
        while (buf.hasRemaining()) {
            Response frame;
            try {
                frame = codec.decodeResponseFrame(buf, version);
            } catch (ProtocolException e) {
                throw new AssertionError("the server wrote an invalid frame after " + frames + ": " + e.getMessage(), e);
            }
            frames.add(frame);
            if (frame instanceof Response.Error || frame instanceof Response.GameNotFound) {
                refusals++;
            }
            if (frame instanceof Response.Error error) {
                assertNotEquals(ErrorCode.SERVER_ERROR, error.code(), () -> "an exception escaped while serving "
                        + request + ": " + error.message());
            } else if (frame instanceof Response.Chunk chunk) {
                byte[] body = body(buf, chunk.length(), frame);
                checkServed(gameIdOf(request), chunk.path(), chunk.offset(), body, false);
                if (version == Protocol.VERSION_1) {
                    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                            chunk.sha256(), "a protocol 1 chunk carries its hash");
                }
            } else if (frame instanceof Response.FileData file) {
                assertTrue(file.size() <= MAX_ANSWER_BYTES, "file too large for this library");
                checkServed(gameIdOf(request), file.path(), 0, body(buf, (int) file.size(), frame), true);
            } else if (frame instanceof Response.Manifest manifest) {
                byte[] tail = body(buf, (int) manifest.hashBytes(), frame);
                assertEquals(library.library().manifest(manifest.gameId()).map(Response.Manifest::of),
                        Optional.of(manifest), "a manifest is the library's manifest of a served game");
                manifest.toGameManifest(tail);
            }
        }
        return frames;
    }

    private static byte[] body(ByteBuffer buf, int length, Response frame) {
        if (buf.remaining() < length) {
            fail(frame + " announces " + length + " bytes, " + buf.remaining() + " follow");
        }
        byte[] body = new byte[length];
        buf.get(body);
        return body;
    }

    private static String gameIdOf(Request request) {
        if (request instanceof Request.GetGameFileChunk r) {
            return r.gameId();
        }
        if (request instanceof Request.GetGameFileData r) {
            return r.gameId();
        }
        if (request instanceof Request.GetChunks r) {
            return r.gameId();
        }
        throw new AssertionError("file bytes in the answer to " + request);
    }

    /** The body must be the bytes of a file inside the game's own folder, of a game the library lists. */
    private void checkServed(String gameId, String path, long offset, byte[] body, boolean whole) throws IOException {
        bodies++;
        bodyBytes += body.length;
        assertTrue(library.library().game(gameId).isPresent(), () -> "served bytes of unlisted game " + gameId);
        Path file = folder.servable(gameId, path).orElseThrow(() -> new AssertionError("served " + body.length
                + " bytes of " + gameId + "/" + path + ", which is no file inside the game's folder"));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (whole) {
                assertEquals(in.size(), body.length, () -> "the whole of " + path + " is served");
            }
            ByteBuffer expected = ByteBuffer.allocate(body.length);
            while (expected.hasRemaining() && in.read(expected, offset + expected.position()) > 0) {
                // reads the range
            }
            assertArrayEquals(Arrays.copyOf(expected.array(), expected.position()), body,
                    () -> "the bytes served as " + gameId + "/" + path + " at " + offset + " are that file's");
        }
    }

    /** What one request must be answered with, beyond the checks of every frame. */
    private void checkAnswer(Request request, List<Response> frames) {
        if (request instanceof Request.GetChunks chunks) {
            checkChunksAnswer(chunks, frames);
            return;
        }
        assertEquals(1, frames.size(), () -> request + " gets one answer, not " + frames);
        Response answer = frames.get(0);
        if (request instanceof Request.Ping || request instanceof Request.Hello) {
            assertTrue(answer instanceof Response.Pong p && p.peerId().equals(serverIdentity.peerId()),
                    () -> request + " answered by " + answer);
        } else if (request instanceof Request.LibraryChanged || request instanceof Request.Goodbye) {
            assertEquals(new Response.Ack(), answer, () -> request + " is acknowledged");
        } else if (request instanceof Request.ListGames) {
            assertEquals(new Response.Games(library.library().games()), answer, "the games are the library's");
        } else if (answer instanceof Response.GameFiles files) {
            assertTrue(request instanceof Request.GetGame g && g.gameId().equals(files.gameId()),
                    () -> request + " answered by " + answer);
            assertTrue(library.library().game(files.gameId()).isPresent(), "files of an unlisted game");
        } else if (answer instanceof Response.Manifest manifest) {
            assertTrue(request instanceof Request.GetManifest m && m.gameId().equals(manifest.gameId()),
                    () -> request + " answered by " + answer);
        } else if (answer instanceof Response.Chunk chunk) {
            assertTrue(request instanceof Request.GetGameFileChunk c && c.path().equals(chunk.path())
                    && c.offset() == chunk.offset() && c.length() == chunk.length(), () -> request + " answered by " + answer);
        } else if (answer instanceof Response.FileData file) {
            assertTrue(request instanceof Request.GetGameFileData d && d.path().equals(file.path()),
                    () -> request + " answered by " + answer);
        } else {
            assertTrue(answer instanceof Response.GameNotFound || answer instanceof Response.Error,
                    () -> request + " answered by " + answer);
        }
    }

    /** One chunk or error per range, in order; or one {@code GameNotFound} for the whole request. */
    private static void checkChunksAnswer(Request.GetChunks request, List<Response> frames) {
        if (frames.size() == 1 && frames.get(0) instanceof Response.GameNotFound) {
            return;
        }
        assertEquals(request.chunks().size(), frames.size(), () -> "one answer per range of " + request + ", not "
                + frames);
        for (int i = 0; i < frames.size(); i++) {
            Request.GetChunks.Range range = request.chunks().get(i);
            Response answer = frames.get(i);
            assertTrue(answer instanceof Response.Error || answer instanceof Response.Chunk c
                    && c.path().equals(range.path()) && c.offset() == range.offset() && c.length() == range.length(),
                    () -> range + " answered by " + answer);
        }
    }

    private static String escaped(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Heap bytes the live threads of the server and the library (named {@code lanspread-...}) allocated so far. */
    private static long serverAllocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        long sum = 0;
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().startsWith("lanspread-")) {
                sum += Math.max(0, mx.getThreadAllocatedBytes(threads[i].getId()));
            }
        }
        return sum;
    }

    private static IdentityComponent identity(String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", folder.state.resolve(name).toString(), "name", "fuzz-" + name)));
    }
}
