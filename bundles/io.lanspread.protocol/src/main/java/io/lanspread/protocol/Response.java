package io.lanspread.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;

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
     * @param sha256 SHA-256 of those bytes, 64 lower-case hex digits, in protocol 1; null in protocol 2, where
     *               the receiver verifies the bytes against the manifest it chose
     */
    record Chunk(String path, long offset, int length, String sha256) implements Response {
        public Chunk {
            Objects.requireNonNull(path, "path");
            if (offset < 0 || length < 0 || length > Protocol.MAX_CHUNK_LENGTH || offset > Long.MAX_VALUE - length) {
                throw new IllegalArgumentException("invalid chunk range: offset " + offset + ", length " + length);
            }
            if (sha256 != null && !MessageCodec.isSha256Hex(sha256)) {
                throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
            }
        }
    }

    /**
     * Protocol 2: header of a game's manifest; exactly {@code hashBytes} raw bytes follow the frame on the
     * stream, every regular file's chunk hashes (32 bytes each) concatenated in the order of {@code files}.
     * The constructor checks that {@code hashBytes} is what the sizes and the chunk size call for, and the
     * limit, so a receiver knows the exact tail before it reads any of it.
     */
    record Manifest(String gameId, String version, int chunkSize, List<ManifestFile> files, long hashBytes)
            implements Response {
        public Manifest {
            Objects.requireNonNull(gameId, "gameId");
            Objects.requireNonNull(version, "version");
            files = List.copyOf(files);
            if (chunkSize <= 0 || chunkSize > Protocol.MAX_CHUNK_LENGTH) {
                throw new IllegalArgumentException("chunk size " + chunkSize + " outside 1 ... " + Protocol.MAX_CHUNK_LENGTH);
            }
            if (hashBytes < 0 || hashBytes > Protocol.MAX_MANIFEST_HASH_BYTES) {
                throw new IllegalArgumentException("hashBytes " + hashBytes + " outside 0 ... " + Protocol.MAX_MANIFEST_HASH_BYTES);
            }
            Set<String> paths = new HashSet<>();
            long expected = 0;
            for (ManifestFile file : files) {
                if (!paths.add(file.path())) {
                    throw new IllegalArgumentException("duplicate path " + file.path());
                }
                long chunks = file.chunkCount(chunkSize);
                if (chunks > (Protocol.MAX_MANIFEST_HASH_BYTES - expected) / Protocol.HASH_BYTES) {
                    throw new IllegalArgumentException("the files need more than " + Protocol.MAX_MANIFEST_HASH_BYTES
                            + " bytes of chunk hashes");
                }
                expected += chunks * Protocol.HASH_BYTES;
            }
            if (hashBytes != expected) {
                throw new IllegalArgumentException("hashBytes " + hashBytes + " but the files have " + expected
                        + " bytes of chunk hashes");
            }
        }

        /** The header of {@code manifest}; its tail is {@link #hashTail(GameManifest)}. */
        public static Manifest of(GameManifest manifest) {
            List<ManifestFile> files = new ArrayList<>(manifest.files().size());
            long hashBytes = 0;
            for (FileManifest f : manifest.files()) {
                files.add(new ManifestFile(f.path(), f.size(), f.directory(), f.directory() ? null : f.sha256Hex()));
                hashBytes += (long) f.chunkCount() * Protocol.HASH_BYTES;
            }
            return new Manifest(manifest.gameId(), manifest.version(), manifest.chunkSize(), files, hashBytes);
        }

        /** The binary tail of {@code manifest}: each file's chunk hashes in file order (empty ones left out). */
        public static List<byte[]> hashTail(GameManifest manifest) {
            List<byte[]> tail = new ArrayList<>();
            for (FileManifest f : manifest.files()) {
                if (f.chunkCount() > 0) {
                    tail.add(f.chunkHashes());
                }
            }
            return tail;
        }

        /**
         * The manifest this header and its tail describe.
         *
         * @throws ProtocolException when the tail's length differs from {@code hashBytes}, or the content
         *                           is refused by {@link GameManifest}
         */
        public GameManifest toGameManifest(byte[] hashes) throws ProtocolException {
            if (hashes.length != hashBytes) {
                throw new ProtocolException("manifest tail of " + hashes.length + " bytes, announced " + hashBytes);
            }
            HexFormat hex = HexFormat.of();
            List<FileManifest> out = new ArrayList<>(files.size());
            int at = 0;
            try {
                for (ManifestFile f : files) {
                    if (f.directory()) {
                        out.add(FileManifest.directory(f.path()));
                        continue;
                    }
                    int n = (int) f.chunkCount(chunkSize) * Protocol.HASH_BYTES;
                    out.add(new FileManifest(f.path(), f.size(), false, hex.parseHex(f.sha256()),
                            Arrays.copyOfRange(hashes, at, at + n)));
                    at += n;
                }
                return new GameManifest(gameId, version, chunkSize, out);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("invalid manifest: " + e.getMessage(), e);
            }
        }
    }

    /**
     * One entry of a {@link Manifest}.
     *
     * @param sha256 SHA-256 of the whole file, 64 lower-case hex digits; null for a directory
     */
    record ManifestFile(String path, long size, boolean directory, String sha256) {
        public ManifestFile {
            Objects.requireNonNull(path, "path");
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size + " of " + path);
            }
            if (directory ? sha256 != null || size != 0 : !MessageCodec.isSha256Hex(sha256)) {
                throw new IllegalArgumentException(directory ? "directory " + path + " with a size or hash"
                        : "file " + path + " without a valid sha256");
            }
        }

        /** Chunks of {@code chunkSize} bytes the file has (the last may be shorter); 0 for a directory. */
        public long chunkCount(int chunkSize) {
            return directory ? 0 : size / chunkSize + (size % chunkSize == 0 ? 0 : 1);
        }
    }

    /**
     * The server's answer to a valid {@link Request.PartyProof}: its own proof, HMAC-SHA256(party key,
     * "lanspread party server" || SHA-256 of the client's certificate || SHA-256 of the server's certificate),
     * 64 lower-case hex digits, so that the client knows the server holds the key too.
     */
    record PartyProof(String proof) implements Response {
        public PartyProof {
            if (!MessageCodec.isSha256Hex(proof)) {
                throw new IllegalArgumentException("a party proof is 64 lower-case hex digits");
            }
        }
    }

    /**
     * Protocol 4: which chunks of a game version the peer holds (verified and on its disk), for the manifest the
     * {@link Request.GetHave} named. {@code complete}: the peer has the whole game in its library (no bits). Else
     * {@code held} has chunk {@code i} of the manifest's chunk layout set when the peer serves it, or is null
     * when {@code revision} equals the revision the caller asked with (nothing changed). The revision grows
     * whenever a chunk is added; a new partial copy of the same version may start again from a lower one.
     */
    record Have(String gameId, String version, long revision, int chunks, boolean complete, java.util.BitSet held)
            implements Response {
        public Have {
            Objects.requireNonNull(gameId, "gameId");
            Objects.requireNonNull(version, "version");
            if (revision < 0 || chunks < 0 || chunks > HaveBits.MAX_CHUNKS) {
                throw new IllegalArgumentException("invalid have-map: revision " + revision + ", " + chunks + " chunks");
            }
            if (complete && held != null) {
                throw new IllegalArgumentException("a complete copy has no bits");
            }
            if (held != null) {
                if (held.length() > chunks) {
                    throw new IllegalArgumentException("bit " + (held.length() - 1) + " set of " + chunks + " chunks");
                }
                held = (java.util.BitSet) held.clone();
            }
        }

        @Override
        public java.util.BitSet held() {
            return held == null ? null : (java.util.BitSet) held.clone();
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
