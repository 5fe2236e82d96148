package io.lanspread.protocol;

import java.util.List;
import java.util.Objects;

/** A request, sent by the client as the only frame of a new bidirectional stream. */
public sealed interface Request {

    /** The oldest protocol version that has this request. */
    default int sinceVersion() {
        return Protocol.VERSION_1;
    }

    /** Asks for the peer's identity and library revision; answered by {@link Response.Pong}. */
    record Ping() implements Request {
    }

    /**
     * Introduces the caller: it listens on {@code listenPort} (at the address it connects from) and its library
     * is at {@code libraryRevision}; answered by {@link Response.Pong}, like a ping.
     */
    record Hello(String name, int listenPort, long libraryRevision) implements Request {
        public Hello {
            Objects.requireNonNull(name, "name");
            if (listenPort < 1 || listenPort > Protocol.MAX_PORT) {
                throw new IllegalArgumentException("invalid listen port " + listenPort);
            }
            if (libraryRevision < 0) {
                throw new IllegalArgumentException("negative library revision " + libraryRevision);
            }
        }
    }

    /** Tells the peer that the caller's library changed; answered by {@link Response.Ack}. */
    record LibraryChanged(long libraryRevision) implements Request {
        public LibraryChanged {
            if (libraryRevision < 0) {
                throw new IllegalArgumentException("negative library revision " + libraryRevision);
            }
        }
    }

    /** Tells the peer that the caller is shutting down; answered by {@link Response.Ack}. */
    record Goodbye() implements Request {
    }

    /**
     * Proves that the caller holds the party key of a peer that has one, on this connection only: {@code proof}
     * is HMAC-SHA256(party key, "lanspread party client" || SHA-256 of the client's certificate || SHA-256 of
     * the server's certificate), 64 lower-case hex digits. Answered by {@link Response.PartyProof} (the
     * server's own proof) or {@link Response.Error} with {@link ErrorCode#NOT_IN_PARTY}. Exists in every
     * protocol version: a party is a matter of configuration, not of the version.
     */
    record PartyProof(String proof) implements Request {
        public PartyProof {
            if (!MessageCodec.isSha256Hex(proof)) {
                throw new IllegalArgumentException("a party proof is 64 lower-case hex digits");
            }
        }
    }

    /** Asks for the peer's complete games; answered by {@link Response.Games}. */
    record ListGames() implements Request {
    }

    /** Asks for a game's file tree; answered by {@link Response.GameFiles} or {@link Response.GameNotFound}. */
    record GetGame(String gameId) implements Request {
        public GetGame {
            Objects.requireNonNull(gameId, "gameId");
        }
    }

    /**
     * Protocol 2: asks for a game's manifest; answered by {@link Response.Manifest} followed by its chunk
     * hashes, or {@link Response.GameNotFound}.
     */
    record GetManifest(String gameId) implements Request {
        public GetManifest {
            Objects.requireNonNull(gameId, "gameId");
        }

        @Override
        public int sinceVersion() {
            return Protocol.VERSION_2;
        }
    }

    /** Asks for a whole file; answered by {@link Response.FileData} followed by the file's bytes. */
    record GetGameFileData(String gameId, String path) implements Request {
        public GetGameFileData {
            Objects.requireNonNull(gameId, "gameId");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Asks for a byte range of a file; answered by {@link Response.Chunk} followed by the bytes. In protocol 2
     * the server may refuse with {@link ErrorCode#FILE_CHANGED}.
     */
    record GetGameFileChunk(String gameId, String path, long offset, int length) implements Request {
        public GetGameFileChunk {
            Objects.requireNonNull(gameId, "gameId");
            Objects.requireNonNull(path, "path");
            if (offset < 0 || length < 0 || length > Protocol.MAX_CHUNK_LENGTH || offset > Long.MAX_VALUE - length) {
                throw new IllegalArgumentException("invalid chunk range: offset " + offset + ", length " + length);
            }
        }
    }

    /**
     * Protocol 3: several ranges of a game's files on one stream; answered, for each range in order, by a
     * {@link Response.Chunk} followed by its bytes, or by a {@link Response.Error} for that range alone
     * ({@code FILE_CHANGED}, {@code FILE_NOT_FOUND}, {@code INVALID_PATH}); or, when the game is not served,
     * by a single {@link Response.GameNotFound}. Protocol 4: with a {@code version}, the ranges of exactly that
     * version, served from the library when it lists that version, else from the peer's partial copy of it
     * (verified chunks only; {@link ErrorCode#CHUNK_NOT_HELD} for one it does not hold).
     */
    record GetChunks(String gameId, String version, List<Range> chunks) implements Request {
        public GetChunks {
            Objects.requireNonNull(gameId, "gameId");
            if (version != null && version.isEmpty()) {
                throw new IllegalArgumentException("an empty version");
            }
            chunks = List.copyOf(chunks);
            if (chunks.isEmpty() || chunks.size() > Protocol.MAX_CHUNKS_PER_REQUEST) {
                throw new IllegalArgumentException("a chunk request asks for 1 to " + Protocol.MAX_CHUNKS_PER_REQUEST
                        + " chunks, not " + chunks.size());
            }
        }

        /** Without a version: the ranges of the game as the peer's library lists it (protocol 3). */
        public GetChunks(String gameId, List<Range> chunks) {
            this(gameId, null, chunks);
        }

        @Override
        public int sinceVersion() {
            return version == null ? Protocol.VERSION_3 : Protocol.VERSION_4;
        }

        /** One range of a {@link GetChunks}: {@code length} bytes (1 to {@link Protocol#MAX_CHUNK_LENGTH}) from {@code offset}. */
        public record Range(String path, long offset, int length) {
            public Range {
                Objects.requireNonNull(path, "path");
                if (offset < 0 || length < 1 || length > Protocol.MAX_CHUNK_LENGTH || offset > Long.MAX_VALUE - length) {
                    throw new IllegalArgumentException("invalid chunk range: offset " + offset + ", length " + length);
                }
            }
        }
    }

    /**
     * Protocol 4: asks which chunks of a game version the peer holds, for the manifest whose
     * {@link io.lanspread.api.game.GameManifest#contentHash() content hash} is {@code manifestSha256} (64 lower-case
     * hex digits). {@code revision} is the revision of the have-map the caller already has (0: none); answered by
     * {@link Response.Have} (its bits left out when the revision did not change) or {@link Response.GameNotFound}
     * when the peer has no copy of that content.
     */
    record GetHave(String gameId, String version, String manifestSha256, long revision) implements Request {
        public GetHave {
            Objects.requireNonNull(gameId, "gameId");
            Objects.requireNonNull(version, "version");
            if (!MessageCodec.isSha256Hex(manifestSha256)) {
                throw new IllegalArgumentException("a manifest hash is 64 lower-case hex digits");
            }
            if (revision < 0) {
                throw new IllegalArgumentException("negative revision " + revision);
            }
        }

        @Override
        public int sinceVersion() {
            return Protocol.VERSION_4;
        }
    }
}
