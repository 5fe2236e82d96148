package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.PartialCopies;
import io.lanspread.api.game.UnsafePathException;
import io.lanspread.api.peer.LocalIdentity;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Answers requests on the blocking executor, in the protocol version of the request's connection. Files are
 * reached only through {@link ServedFiles}. On a protocol 2 connection chunks are served without hashing,
 * checked against the library's cached manifest; on protocol 1 each chunk is hashed as before.
 * Notices (hello, libraryChanged, goodbye) are answered and passed to the listeners one at a time in arrival
 * order, attributed to the peer id proven by the caller's client certificate.
 */
final class RequestProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);

    private final LocalLibrary library;
    private final LocalIdentity identity;
    private final MessageCodec codec;
    private final Executor executor;
    private final Executor notices;
    private final NoticeListeners listeners;
    private final ServedFiles files;
    private final ServedCopies copies;
    private final LongAdder servedBytes;
    private final SendBudget budget;
    private final PartyGate party;
    private final FairServing fair;

    /**
     * @param servedBytes counts the file body bytes QUIC accepted (chunks and whole files)
     * @param budget bounds the file bytes held in memory across every stream; a connection with a
     *        {@link ConnectionBudget} of its own reads within that one (which draws on this)
     * @param party refuses every request of a connection that has not proven the party key, if there is one
     * @param partials the games this peer is still downloading and shares, or null when there is no such service
     * @param fair bounds the chunk reads under way at once per remote peer and in total; the rest wait their turn
     */
    RequestProcessor(LocalLibrary library, LocalIdentity identity, MessageCodec codec, Executor executor,
            NoticeListeners listeners, LongAdder servedBytes, SendBudget budget, PartyGate party,
            Supplier<PartialCopies> partials, FairServing fair) {
        this.library = library;
        this.fair = fair;
        this.party = party;
        this.budget = budget;
        this.files = new ServedFiles(library);
        this.copies = new ServedCopies(library, files, partials);
        this.servedBytes = servedBytes;
        this.identity = identity;
        this.codec = codec;
        this.executor = executor;
        this.notices = new SerialExecutor(executor);
        this.listeners = listeners;
    }

    MessageCodec codec() {
        return codec;
    }

    /** Called on the event loop, in the order the requests arrived. */
    void handle(QuicStreamChannel stream, Request request) {
        QuicChannel connection = stream.parent();
        if (!party.admits(connection, request)) {
            Response.Error refusal = party.refusal(connection);
            sendErrorAndClose(stream, refusal.code(), refusal.message());
            return;
        }
        try {
            if (request instanceof Request.PartyProof proof) {
                executor.execute(() -> prove(stream, proof));
            } else if (isNotice(request)) {
                notices.execute(() -> notice(stream, request));
            } else {
                executor.execute(() -> serve(stream, request));
            }
        } catch (RejectedExecutionException e) {
            stream.close(); // shutting down
        }
    }

    void sendErrorAndClose(QuicStreamChannel stream, ErrorCode code, String message) {
        // the FIN rides on the error's own write (see ChunkStreamer); then stop reading what else the client sends
        stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(codec.encode(new Response.Error(code,
                        message))), true))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        stream.shutdownInput().addListener(y -> stream.close());
                    } else {
                        stream.close();
                    }
                });
    }

    private void prove(QuicStreamChannel stream, Request.PartyProof proof) {
        Response answer;
        try {
            answer = party.answer(stream.parent(), proof);
        } catch (RuntimeException e) {
            LOG.warn("checking a party key proof failed", e);
            answer = new Response.Error(ErrorCode.SERVER_ERROR, "the party key proof could not be checked");
        }
        reply(stream, answer);
    }

    private FairServing.Turns turns(QuicStreamChannel stream) {
        return new FairServing.Turns(fair, remotePeer(stream.parent()));
    }

    /** Who a read counts against: the peer id its client certificate proves, else its IP address. */
    private static String remotePeer(QuicChannel connection) {
        Optional<String> caller = CallerIdentity.of(connection);
        if (caller.isPresent()) {
            return caller.get();
        }
        java.net.SocketAddress remote = connection.remoteSocketAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "unknown";
    }

    private static boolean isNotice(Request request) {
        return request instanceof Request.Hello || request instanceof Request.LibraryChanged
                || request instanceof Request.Goodbye;
    }

    private void notice(QuicStreamChannel stream, Request request) {
        QuicChannel connection = stream.parent();
        Optional<String> caller = CallerIdentity.of(connection);
        if (caller.isEmpty()) {
            reply(stream, new Response.Error(ErrorCode.BAD_REQUEST,
                    "a notice needs a client certificate: the caller presented none"));
            return;
        }
        String peerId = caller.get();
        try {
            if (request instanceof Request.Hello r) {
                InetSocketAddress remote = (InetSocketAddress) connection.remoteSocketAddress();
                reply(stream, pong());
                if (remote != null) { // null once the connection closed
                    listeners.introduced(peerId, r.name(), new InetSocketAddress(remote.getAddress(), r.listenPort()),
                            r.libraryRevision());
                }
            } else if (request instanceof Request.LibraryChanged r) {
                reply(stream, new Response.Ack());
                listeners.libraryChanged(peerId, r.libraryRevision());
            } else if (request instanceof Request.Goodbye) {
                reply(stream, new Response.Ack());
                listeners.goodbye(peerId);
            }
        } catch (RuntimeException e) {
            LOG.warn("handling {} from {} failed", request, peerId, e);
            stream.close();
        }
    }

    private Response.Pong pong() {
        return new Response.Pong(identity.peerId(), identity.name(), Protocol.VERSION, library.revision());
    }

    private void serve(QuicStreamChannel stream, Request request) {
        int version = NegotiatedProtocol.served(stream.parent());
        SendBudget budget = ConnectionBudget.of(stream.parent(), this.budget);
        try {
            if (request instanceof Request.Ping) {
                reply(stream, pong());
            } else if (request instanceof Request.ListGames) {
                reply(stream, new Response.Games(library.games()));
            } else if (request instanceof Request.GetGame r) {
                if (library.game(r.gameId()).isEmpty()) {
                    throw new GameNotFoundException(r.gameId());
                }
                reply(stream, new Response.GameFiles(r.gameId(), library.files(r.gameId())));
            } else if (request instanceof Request.GetGameFileData r) {
                sendFile(stream, r, budget);
            } else if (request instanceof Request.GetManifest r) {
                sendManifest(stream, r);
            } else if (request instanceof Request.GetHave r) {
                reply(stream, copies.have(r.gameId(), r.version(), r.manifestSha256(), r.revision()));
            } else if (request instanceof Request.GetChunks r) {
                new ChunkStreamer(stream, r.gameId(), r.chunks(), copies.reader(r.gameId(), r.version()), codec, budget,
                        executor, servedBytes, turns(stream)).start();
            } else if (request instanceof Request.GetGameFileChunk r) {
                if (r.length() == 0 && version >= Protocol.VERSION_2) { // only the range is checked
                    sendChunk(stream, r, null, files.readChunk(r));
                } else if (version >= Protocol.VERSION_2) { // the same answer as a getChunks of one range
                    new ChunkStreamer(stream, r.gameId(), List.of(new Request.GetChunks.Range(r.path(), r.offset(),
                            r.length())), new LibraryChunks(files, r.gameId()), codec, budget, executor, servedBytes,
                            turns(stream)).start();
                } else {
                    byte[] data = files.readChunk(r);
                    sendChunk(stream, r, HexFormat.of().formatHex(PeerIds.newSha256().digest(data)), data);
                }
            }
        } catch (GameNotFoundException e) {
            reply(stream, new Response.GameNotFound(e.gameId()));
        } catch (UnsafePathException e) {
            reply(stream, new Response.Error(ErrorCode.INVALID_PATH, e.getMessage()));
        } catch (ServedFiles.FileNotServed | NoSuchFileException e) {
            reply(stream, new Response.Error(ErrorCode.FILE_NOT_FOUND, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("serving {} failed", request, e);
            reply(stream, new Response.Error(ErrorCode.SERVER_ERROR, String.valueOf(e.getMessage())));
        }
    }

    private void reply(QuicStreamChannel stream, Response response) {
        sendLast(stream, Unpooled.wrappedBuffer(codec.encode(response)), 0);
    }

    /**
     * Writes the stream's last bytes with the FIN on the same frame (a separate FIN after the write, as {@code
     * shutdownOutput()} sends it, was now and then never sent under load; see ChunkStreamer); {@code bodyBytes}
     * of them are file bytes, counted once written.
     */
    private void sendLast(QuicStreamChannel stream, ByteBuf data, int bodyBytes) {
        stream.writeAndFlush(new DefaultQuicStreamFrame(data, true)).addListener(f -> {
            if (f.isSuccess()) {
                servedBytes.add(bodyBytes);
            } else {
                stream.close();
            }
        });
    }

    private void sendFile(QuicStreamChannel stream, Request.GetGameFileData r, SendBudget budget)
            throws IOException, ServedFiles.FileNotServed {
        FileChannel file = files.open(r.gameId(), r.path());
        try {
            long size = file.size();
            if (size == 0) {
                file.close();
                reply(stream, new Response.FileData(r.path(), 0));
                return;
            }
            stream.writeAndFlush(Unpooled.wrappedBuffer(codec.encode(new Response.FileData(r.path(), size))));
            new FileSender(stream, file, 0, size, executor, servedBytes, budget).pump();
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Protocol 2: the header, then the hash tail straight from the cached manifest (nothing is hashed here). */
    private void sendManifest(QuicStreamChannel stream, Request.GetManifest r) {
        GameManifest manifest = files.manifest(r.gameId());
        byte[] header = codec.encode(Response.Manifest.of(manifest));
        List<byte[]> tail = Response.Manifest.hashTail(manifest);
        byte[][] parts = new byte[tail.size() + 1][];
        parts[0] = header;
        for (int i = 0; i < tail.size(); i++) {
            parts[i + 1] = tail.get(i);
        }
        sendLast(stream, Unpooled.wrappedBuffer(parts), 0);
    }

    /** @param sha256 the hash of a protocol 1 chunk; null in protocol 2 */
    private void sendChunk(QuicStreamChannel stream, Request.GetGameFileChunk r, String sha256, byte[] data) {
        byte[] header = codec.encode(new Response.Chunk(r.path(), r.offset(), r.length(), sha256));
        sendLast(stream, Unpooled.wrappedBuffer(header, data), data.length);
    }
}
