package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.UnsafePathException;
import io.lanspread.protocol.Request;
import io.netty.buffer.ByteBuf;

/**
 * The server's only way to the library's files (blocking; called on the server's I/O executor): opens
 * listed games' regular files reached through {@link LocalLibrary#resolve} inside the game's folder (links
 * followed), and reads chunks, in protocol 2 only while the file is the one its manifest describes.
 */
final class ServedFiles {

    /** A request for something that is not a servable file. */
    static final class FileNotServed extends Exception {
        private static final long serialVersionUID = 1L;

        FileNotServed(String message) {
            super(message);
        }
    }

    /** Protocol 2: the file on disk is no longer the one the manifest describes. */
    static final class FileChanged extends Exception {
        private static final long serialVersionUID = 1L;

        FileChanged(String message) {
            super(message);
        }
    }

    /** Protocol 4: a partial copy does not hold the chunk verified (or its bytes no longer match). */
    static final class ChunkNotHeld extends Exception {
        private static final long serialVersionUID = 1L;

        ChunkNotHeld(String message) {
            super(message);
        }
    }

    /** A file opened to serve chunks from its manifest entry. */
    record HashedFile(String gameId, FileManifest entry, FileChannel channel) {
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // opened for reading only: nothing is lost
            }
        }
    }

    private final LocalLibrary library;
    private final ManifestIndex manifests;

    ServedFiles(LocalLibrary library) {
        this.library = library;
        this.manifests = new ManifestIndex(library);
    }

    /** The game's cached manifest. */
    GameManifest manifest(String gameId) {
        return manifests.manifest(gameId).orElseThrow(() -> new GameNotFoundException(gameId));
    }

    /** Protocol 1: the requested range as it is on disk now. */
    byte[] readChunk(Request.GetGameFileChunk r) throws IOException, FileNotServed {
        try (FileChannel file = open(r.gameId(), r.path())) {
            return readRange(file, r);
        }
    }

    /**
     * Protocol 2 and later: opens a file to serve chunks of it from its manifest. Refuses it unless the
     * manifest lists it as a file of the size it has on disk; the returned entry bounds the ranges to read.
     */
    HashedFile openAsHashed(String gameId, String path) throws IOException, FileNotServed, FileChanged {
        FileChannel file = open(gameId, path);
        try {
            GameManifest manifest = manifest(gameId);
            FileManifest entry = manifests.file(manifest, path).filter(f -> !f.directory())
                    .orElseThrow(() -> new FileChanged(path + " is not in the manifest of " + gameId));
            long size = file.size();
            if (size != entry.size()) {
                throw new FileChanged(path + " has " + size + " bytes, its manifest says " + entry.size());
            }
            return new HashedFile(gameId, entry, file);
        } catch (IOException | FileChanged | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Reads a range of a file opened by {@link #openAsHashed} into {@code target} (pread into its memory, no
     * copy on the heap), while the library sees the file unchanged since hashing, before and after the read.
     */
    void readAsHashed(HashedFile hashed, long offset, int length, ByteBuf target)
            throws IOException, FileNotServed, FileChanged {
        FileManifest entry = hashed.entry();
        FileChannel file = hashed.channel();
        String gameId = hashed.gameId();
        if (offset + length > entry.size()) {
            throw new FileNotServed("range " + offset + "+" + length + " lies outside " + entry.path() + " ("
                    + entry.size() + " bytes)");
        }
        requireUnchanged(gameId, entry.path());
        int start = target.writerIndex();
        while (target.writerIndex() - start < length) {
            int done = target.writerIndex() - start;
            if (target.writeBytes(file, offset + done, length - done) < 0) {
                throw new FileChanged(entry.path() + " shrank while being read");
            }
        }
        requireUnchanged(gameId, entry.path()); // a write during the read changed the modification time
    }

    /** Opens a listed game's regular file for reading, refusing anything outside the game's folder. */
    FileChannel open(String gameId, String path) throws IOException, FileNotServed {
        if (library.game(gameId).isEmpty()) {
            throw new GameNotFoundException(gameId);
        }
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

    private void requireUnchanged(String gameId, String path) throws FileChanged {
        if (!library.isUnchanged(gameId, path)) {
            throw new FileChanged(path + " changed since it was hashed");
        }
    }

    private static byte[] readRange(FileChannel file, Request.GetGameFileChunk r) throws IOException, FileNotServed {
        long size = file.size();
        if (r.offset() + r.length() > size) {
            throw new FileNotServed("range " + r.offset() + "+" + r.length() + " lies outside " + r.path()
                    + " (" + size + " bytes)");
        }
        byte[] data = new byte[r.length()];
        ByteBuffer target = ByteBuffer.wrap(data);
        while (target.hasRemaining()) {
            if (file.read(target, r.offset() + target.position()) < 0) {
                throw new IOException(r.path() + " shrank while being read");
            }
        }
        return data;
    }
}
