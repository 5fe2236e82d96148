package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.UnsafePathException;
import io.lanspread.api.peer.LocalIdentity;
import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Protocol;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Answers requests on the blocking executor. Serves only games the library lists, and only files reached
 * through {@link LocalLibrary#resolve} that are regular files inside the game's folder (links followed).
 * Notices (hello, libraryChanged, goodbye) are answered and passed to the listeners one at a time in arrival
 * order, attributed to the peer id proven by the caller's client certificate.
 */
final class RequestProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);

    /** A request for something that is not a servable file. */
    private static final class FileNotServed extends Exception {
        private static final long serialVersionUID = 1L;

        FileNotServed(String message) {
            super(message);
        }
    }

    private final LocalLibrary library;
    private final LocalIdentity identity;
    private final MessageCodec codec;
    private final Executor executor;
    private final Executor notices;
    private final NoticeListeners listeners;

    RequestProcessor(LocalLibrary library, LocalIdentity identity, MessageCodec codec, Executor executor,
            NoticeListeners listeners) {
        this.library = library;
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
        try {
            if (isNotice(request)) {
                notices.execute(() -> notice(stream, request));
            } else {
                executor.execute(() -> serve(stream, request));
            }
        } catch (RejectedExecutionException e) {
            stream.close(); // shutting down
        }
    }

    void sendErrorAndClose(QuicStreamChannel stream, ErrorCode code, String message) {
        stream.writeAndFlush(Unpooled.wrappedBuffer(codec.encode(new Response.Error(code, message))))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        // FIN after the error, then stop reading whatever else the client sends
                        stream.shutdownOutput().addListener(x -> stream.shutdownInput().addListener(y -> stream.close()));
                    } else {
                        stream.close();
                    }
                });
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
        try {
            if (request instanceof Request.Ping) {
                reply(stream, pong());
            } else if (request instanceof Request.ListGames) {
                reply(stream, new Response.Games(library.games()));
            } else if (request instanceof Request.GetGame r) {
                requireListed(r.gameId());
                reply(stream, new Response.GameFiles(r.gameId(), library.files(r.gameId())));
            } else if (request instanceof Request.GetGameFileData r) {
                sendFile(stream, r);
            } else if (request instanceof Request.GetGameFileChunk r) {
                sendChunk(stream, r);
            }
        } catch (GameNotFoundException e) {
            reply(stream, new Response.GameNotFound(e.gameId()));
        } catch (UnsafePathException e) {
            reply(stream, new Response.Error(ErrorCode.INVALID_PATH, e.getMessage()));
        } catch (FileNotServed | NoSuchFileException e) {
            reply(stream, new Response.Error(ErrorCode.FILE_NOT_FOUND, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("serving {} failed", request, e);
            reply(stream, new Response.Error(ErrorCode.SERVER_ERROR, String.valueOf(e.getMessage())));
        }
    }

    private void reply(QuicStreamChannel stream, Response response) {
        sendLast(stream, Unpooled.wrappedBuffer(codec.encode(response)));
    }

    private static void sendLast(QuicStreamChannel stream, ByteBuf data) {
        stream.writeAndFlush(data).addListener(f -> {
            if (f.isSuccess()) {
                stream.shutdownOutput();
            } else {
                stream.close();
            }
        });
    }

    private void requireListed(String gameId) {
        if (library.game(gameId).isEmpty()) {
            throw new GameNotFoundException(gameId);
        }
    }

    private void sendFile(QuicStreamChannel stream, Request.GetGameFileData r) throws IOException, FileNotServed {
        FileChannel file = open(r.gameId(), r.path());
        try {
            long size = file.size();
            if (size == 0) {
                file.close();
                reply(stream, new Response.FileData(r.path(), 0));
                return;
            }
            stream.writeAndFlush(Unpooled.wrappedBuffer(codec.encode(new Response.FileData(r.path(), size))));
            new FileSender(stream, file, 0, size, executor).pump();
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private void sendChunk(QuicStreamChannel stream, Request.GetGameFileChunk r) throws IOException, FileNotServed {
        byte[] data = new byte[r.length()];
        try (FileChannel file = open(r.gameId(), r.path())) {
            long size = file.size();
            if (r.offset() + r.length() > size) {
                throw new FileNotServed("range " + r.offset() + "+" + r.length() + " lies outside " + r.path()
                        + " (" + size + " bytes)");
            }
            ByteBuffer target = ByteBuffer.wrap(data);
            while (target.hasRemaining()) {
                if (file.read(target, r.offset() + target.position()) < 0) {
                    throw new IOException(r.path() + " shrank while being read");
                }
            }
        }
        MessageDigest sha = PeerIds.newSha256();
        String hex = HexFormat.of().formatHex(sha.digest(data));
        byte[] header = codec.encode(new Response.Chunk(r.path(), r.offset(), r.length(), hex));
        sendLast(stream, Unpooled.wrappedBuffer(header, data));
    }

    /** Opens a listed game's regular file for reading, refusing anything outside the game's folder. */
    private FileChannel open(String gameId, String path) throws IOException, FileNotServed {
        requireListed(gameId);
        Path file = library.resolve(gameId, path); // the one place that validates paths
        if (!Files.exists(file)) {
            throw new FileNotServed("no such file: " + path);
        }
        if (!Files.isRegularFile(file)) {
            throw new FileNotServed("not a regular file: " + path);
        }
        Path root = library.gameDirectory().resolve(gameId).toRealPath();
        if (!file.toRealPath().startsWith(root)) {
            throw new UnsafePathException("path leads outside the game folder: " + path);
        }
        return FileChannel.open(file.toRealPath(LinkOption.NOFOLLOW_LINKS), StandardOpenOption.READ);
    }
}
