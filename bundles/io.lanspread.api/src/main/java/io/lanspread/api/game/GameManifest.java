package io.lanspread.api.game;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A game's content as one holder hashed it: every entry of its file tree (sorted by path) with its size
 * and the SHA-256 of each chunk. Downloads verify every chunk against a manifest the holders agree on,
 * never against what the sender says of the bytes it sends.
 *
 * @param gameId    the game
 * @param version   the version from {@code version.ini}
 * @param chunkSize the chunk size the hashes were computed with (512 KiB in protocol 2)
 * @param files     every file and directory, sorted by path
 */
public record GameManifest(String gameId, String version, int chunkSize, List<FileManifest> files) {
    /** The chunk size lanspread hashes and transfers with: 512 KiB. */
    public static final int CHUNK_SIZE = 512 * 1024;

    public GameManifest {
        Objects.requireNonNull(gameId, "gameId");
        Objects.requireNonNull(version, "version");
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        files = List.copyOf(files);
        for (FileManifest file : files) {
            long expected = file.directory() ? 0 : (file.size() + chunkSize - 1) / chunkSize;
            if (file.chunkCount() != expected) {
                throw new IllegalArgumentException(file.path() + ": " + file.chunkCount() + " chunk hashes for "
                        + file.size() + " bytes, expected " + expected);
            }
        }
    }

    /** Total size of the regular files in bytes. */
    public long totalSize() {
        long total = 0;
        for (FileManifest file : files) {
            total += file.size();
        }
        return total;
    }

    /** Total number of chunks across all files. */
    public int totalChunks() {
        int total = 0;
        for (FileManifest file : files) {
            total += file.chunkCount();
        }
        return total;
    }

    public Optional<FileManifest> file(String path) {
        for (FileManifest file : files) {
            if (file.path().equals(path)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /**
     * The SHA-256 that names this exact content (32 bytes): two manifests with the same content hash describe the
     * same files, sizes, chunk size and chunk hashes, so their chunk layouts are the same. Computed over the chunk
     * size (4 bytes, big-endian), then for each entry in order: its path's UTF-8 bytes and a 0 byte, 1 for a
     * directory or 0 for a file, its size (8 bytes, big-endian), and for a file its SHA-256 and its chunk hashes.
     * The game id and version are not part of it. Computed on each call (it reads every chunk hash).
     */
    public byte[] contentHash() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        ByteBuffer numbers = ByteBuffer.allocate(Long.BYTES);
        sha.update(numbers.putInt(0, chunkSize).array(), 0, Integer.BYTES);
        for (FileManifest file : files) {
            sha.update(file.path().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update((byte) (file.directory() ? 1 : 0));
            sha.update(numbers.putLong(0, file.size()).array());
            if (!file.directory()) {
                sha.update(file.sha256());
                sha.update(file.chunkHashes());
            }
        }
        return sha.digest();
    }

    /** The file tree, as {@link LocalLibrary#files} lists it. */
    public List<GameFile> tree() {
        return files.stream().map(FileManifest::toGameFile).toList();
    }
}
