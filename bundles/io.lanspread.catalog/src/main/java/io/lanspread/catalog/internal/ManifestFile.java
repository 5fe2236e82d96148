package io.lanspread.catalog.internal;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

import io.lanspread.api.game.FileManifest;

/**
 * One game's cached manifest entries on disk, in a compact binary form (hashes as raw bytes):
 * <pre>
 * int magic "LSMF", int format, int chunk size, UTF game id, boolean served, int entry count,
 * per entry: UTF path, byte kind (0 file, 1 directory),
 *            for a file: long size, long mtime nanos, 32-byte SHA-256, 32 bytes per chunk
 * int CRC32 of everything before it
 * </pre>
 * Written to a temporary file, forced to disk, then renamed over the old one, so a crash leaves either
 * the old or the new file. Anything that does not parse exactly (another format, another chunk size,
 * another game, a bad checksum) reads as absent: the caller hashes again.
 */
final class ManifestFile {

    static final String SUFFIX = ".manifest";
    static final String TEMP_SUFFIX = ".tmp";

    private static final int MAGIC = 0x4C534D46;
    private static final int FORMAT = 1;
    private static final byte FILE = 0;
    private static final byte DIRECTORY = 1;

    /** What one cache file holds; {@code served} says this exact set of entries was once listed. */
    record Content(String gameId, boolean served, List<HashedEntry> entries) {
        Content {
            entries = List.copyOf(entries);
        }
    }

    private ManifestFile() {
    }

    /** The cache file of a game: named by a hash of the id, so any folder name makes a valid file name. */
    static Path pathFor(Path cacheDir, String gameId) {
        byte[] digest = ChunkHasher.sha256().digest(gameId.getBytes(StandardCharsets.UTF_8));
        return cacheDir.resolve(HexFormat.of().formatHex(digest) + SUFFIX);
    }

    static void write(Path file, int chunkSize, Content content) throws IOException {
        // a unique name: two libraries sharing a state directory never write into each other's file
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            CRC32 crc = new CRC32();
            OutputStream raw = Channels.newOutputStream(channel);
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc));
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(chunkSize);
            out.writeUTF(content.gameId());
            out.writeBoolean(content.served());
            out.writeInt(content.entries().size());
            for (HashedEntry entry : content.entries()) {
                out.writeUTF(entry.stamp().path());
                if (entry.stamp().directory()) {
                    out.writeByte(DIRECTORY);
                    continue;
                }
                out.writeByte(FILE);
                out.writeLong(entry.stamp().size());
                out.writeLong(entry.stamp().modifiedNanos());
                out.write(entry.manifest().sha256());
                out.write(entry.manifest().chunkHashes());
            }
            out.flush();
            new DataOutputStream(raw).writeInt((int) crc.getValue());
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The file's content, or empty when it is missing, corrupt or not a cache of this game. */
    static Optional<Content> read(Path file, int chunkSize, String gameId) {
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 16) {
                return Optional.empty();
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (bytes.length < 4) {
            return Optional.empty();
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ((bytes[bytes.length - 4] & 0xff) << 24) | ((bytes[bytes.length - 3] & 0xff) << 16)
                | ((bytes[bytes.length - 2] & 0xff) << 8) | (bytes[bytes.length - 1] & 0xff);
        if ((int) crc.getValue() != stored) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
            Optional<String> id = readHeader(in, chunkSize);
            if (id.isEmpty() || !id.get().equals(gameId)) {
                return Optional.empty();
            }
            boolean served = in.readBoolean();
            int count = in.readInt();
            if (count < 0 || count > in.available()) {
                return Optional.empty();
            }
            List<HashedEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(readEntry(in, chunkSize));
            }
            return in.available() == 0 ? Optional.of(new Content(gameId, served, entries)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // truncated, or malformed values the records refuse
        }
    }

    /** Only the game id, for pruning: empty when the file is not a cache file of this format. */
    static Optional<String> readGameId(Path file, int chunkSize) {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            return readHeader(in, chunkSize);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> readHeader(DataInputStream in, int chunkSize) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readInt() != chunkSize) {
            return Optional.empty();
        }
        return Optional.of(in.readUTF());
    }

    private static HashedEntry readEntry(DataInputStream in, int chunkSize) throws IOException {
        String path = in.readUTF();
        byte kind = in.readByte();
        if (kind == DIRECTORY) {
            return new HashedEntry(TreeEntry.directory(path), FileManifest.directory(path));
        }
        if (kind != FILE) {
            throw new IOException("unknown entry kind " + kind);
        }
        long size = in.readLong();
        long modified = in.readLong();
        long chunks = size < 0 ? -1 : (size + chunkSize - 1) / chunkSize;
        if (chunks < 0 || chunks * FileManifest.HASH_LENGTH > in.available() - FileManifest.HASH_LENGTH) {
            throw new IOException("entry " + path + " claims more hashes than the file holds");
        }
        byte[] sha256 = in.readNBytes(FileManifest.HASH_LENGTH);
        byte[] chunkHashes = in.readNBytes((int) chunks * FileManifest.HASH_LENGTH);
        return new HashedEntry(new TreeEntry(path, false, size, modified),
                new FileManifest(path, size, false, sha256, chunkHashes));
    }
}
