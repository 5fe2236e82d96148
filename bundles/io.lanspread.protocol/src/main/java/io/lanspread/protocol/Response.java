package io.lanspread.protocol;

import java.util.List;
import java.util.Objects;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;

/** A response: the first frame the server writes on a request's stream. */
public sealed interface Response {

    /** The peer's identity; {@code peerId} must match the id derived from its TLS certificate. */
    record Pong(String peerId, String name, int protocolVersion, long libraryRevision) implements Response {
        public Pong {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A notice ({@link Request.LibraryChanged}, {@link Request.Goodbye}) was received. */
    record Ack() implements Response {
    }

    /** The peer's complete games. */
    record Games(List<Game> games) implements Response {
        public Games {
            games = List.copyOf(games);
        }
    }

    /** A game's whole file tree. */
    record GameFiles(String gameId, List<GameFile> files) implements Response {
        public GameFiles {
            Objects.requireNonNull(gameId, "gameId");
            files = List.copyOf(files);
        }
    }

    /** Header of a whole file; exactly {@code size} raw bytes follow the frame on the stream. */
    record FileData(String path, long size) implements Response {
        public FileData {
            Objects.requireNonNull(path, "path");
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size);
            }
        }
    }

    /**
     * Header of a chunk; exactly {@code length} raw bytes follow the frame on the stream.
     *
     * @param sha256 SHA-256 of those bytes, 64 lower-case hex digits
     */
    record Chunk(String path, long offset, int length, String sha256) implements Response {
        public Chunk {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            if (offset < 0 || length < 0 || length > Protocol.MAX_CHUNK_LENGTH || offset > Long.MAX_VALUE - length) {
                throw new IllegalArgumentException("invalid chunk range: offset " + offset + ", length " + length);
            }
            if (!MessageCodec.isSha256Hex(sha256)) {
                throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
            }
        }
    }

    /** The peer does not list this game (unknown, or still being downloaded). */
    record GameNotFound(String gameId) implements Response {
        public GameNotFound {
            Objects.requireNonNull(gameId, "gameId");
        }
    }

    /** The request failed. */
    record Error(ErrorCode code, String message) implements Response {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
