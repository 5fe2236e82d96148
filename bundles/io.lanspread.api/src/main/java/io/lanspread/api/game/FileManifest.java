package io.lanspread.api.game;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What one entry of a game holds, as its holder hashed it: size, the SHA-256 of the whole file and the
 * SHA-256 of every chunk of {@link GameManifest#chunkSize()} bytes (the last one may be shorter).
 * Directories have size 0 and no hashes. Two holders agree on a file when {@link #sameContent} holds.
 *
 * @param path        path relative to the game's folder, as in {@link GameFile#path()}
 * @param size        size in bytes (0 for a directory)
 * @param directory   true for a directory
 * @param sha256      SHA-256 of the whole file, 32 bytes (empty for a directory)
 * @param chunkHashes the chunks' SHA-256 hashes, 32 bytes each, concatenated in file order
 */
public record FileManifest(String path, long size, boolean directory, byte[] sha256, byte[] chunkHashes) {
    /** Length of one SHA-256 hash in bytes. */
    public static final int HASH_LENGTH = 32;

    public FileManifest {
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + path);
        }
        sha256 = sha256 == null ? new byte[0] : sha256.clone();
        chunkHashes = chunkHashes == null ? new byte[0] : chunkHashes.clone();
        if (directory ? sha256.length != 0 || chunkHashes.length != 0 || size != 0
                : sha256.length != HASH_LENGTH || chunkHashes.length % HASH_LENGTH != 0) {
            throw new IllegalArgumentException("malformed hashes for " + path);
        }
    }

    /** A directory entry. */
    public static FileManifest directory(String path) {
        return new FileManifest(path, 0, true, null, null);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public byte[] chunkHashes() {
        return chunkHashes.clone();
    }

    /** Number of chunk hashes. */
    public int chunkCount() {
        return chunkHashes.length / HASH_LENGTH;
    }

    /** A copy of chunk {@code index}'s hash. */
    public byte[] chunkHash(int index) {
        Objects.checkIndex(index, chunkCount());
        return Arrays.copyOfRange(chunkHashes, index * HASH_LENGTH, (index + 1) * HASH_LENGTH);
    }

    /** Whether chunk {@code index}'s hash equals {@code hash}, without copying. */
    public boolean chunkHashEquals(int index, byte[] hash) {
        Objects.checkIndex(index, chunkCount());
        return hash != null && hash.length == HASH_LENGTH && Arrays.equals(chunkHashes, index * HASH_LENGTH,
                (index + 1) * HASH_LENGTH, hash, 0, HASH_LENGTH);
    }

    /** The whole file's hash as 64 lower-case hex digits; empty for a directory. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** The file tree entry this describes. */
    public GameFile toGameFile() {
        return new GameFile(path, size, directory);
    }

    /** Same path, kind, size and hashes: two holders with this agree on the file's bytes. */
    public boolean sameContent(FileManifest other) {
        return other != null && path.equals(other.path) && size == other.size && directory == other.directory
                && Arrays.equals(sha256, other.sha256) && Arrays.equals(chunkHashes, other.chunkHashes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileManifest other && sameContent(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, size, directory, Arrays.hashCode(sha256));
    }

    @Override
    public String toString() {
        return "FileManifest[" + path + ", " + size + (directory ? ", dir" : ", sha256=" + sha256Hex()) + "]";
    }
}
