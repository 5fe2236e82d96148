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
     * Protocol 2: the requested range, read only while the file is the one the manifest describes: the
     * manifest lists it with the size it has on disk, and the library sees its size and modification time
     * unchanged since hashing, both before and after the read. Nothing is hashed here; the receiver verifies
     * the bytes against the manifest it chose.
     */
    byte[] readChunkAsHashed(Request.GetGameFileChunk r) throws IOException, FileNotServed, FileChanged {
        try (FileChannel file = open(r.gameId(), r.path())) {
            GameManifest manifest = manifest(r.gameId());
            FileManifest entry = manifests.file(manifest, r.path()).filter(f -> !f.directory())
                    .orElseThrow(() -> new FileChanged(r.path() + " is not in the manifest of " + r.gameId()));
            long size = file.size();
            if (size != entry.size()) {
                throw new FileChanged(r.path() + " has " + size + " bytes, its manifest says " + entry.size());
            }
            requireUnchanged(r);
            byte[] data = readRange(file, r);
            requireUnchanged(r); // a write during the read changed the modification time
            return data;
        }
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

    private void requireUnchanged(Request.GetGameFileChunk r) throws FileChanged {
        if (!library.isUnchanged(r.gameId(), r.path())) {
            throw new FileChanged(r.path() + " changed since it was hashed");
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
