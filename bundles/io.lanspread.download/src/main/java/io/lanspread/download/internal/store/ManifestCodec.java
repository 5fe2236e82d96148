package io.lanspread.download.internal.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/**
 * A manifest on disk in a compact binary form (raw hashes, 32 bytes per chunk), so that the manifest of a
 * 200 GiB game stays a few MiB: magic, game id, version, chunk size, then per entry its path, size, kind
 * and hashes.
 */
final class ManifestCodec {
    private static final int MAGIC = 0x4C534D31; // "LSM1"

    private ManifestCodec() {
    }

    static void write(GameManifest manifest, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeUTF(manifest.gameId());
        out.writeUTF(manifest.version());
        out.writeInt(manifest.chunkSize());
        out.writeInt(manifest.files().size());
        for (FileManifest file : manifest.files()) {
            out.writeUTF(file.path());
            out.writeBoolean(file.directory());
            out.writeLong(file.size());
            if (!file.directory()) {
                out.write(file.sha256());
                byte[] chunks = file.chunkHashes();
                out.writeInt(chunks.length);
                out.write(chunks);
            }
        }
        out.flush();
    }

    static GameManifest read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a lanspread manifest file");
        }
        String gameId = in.readUTF();
        String version = in.readUTF();
        int chunkSize = in.readInt();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("damaged manifest file: " + count + " entries");
        }
        List<FileManifest> files = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            String path = in.readUTF();
            boolean directory = in.readBoolean();
            long size = in.readLong();
            if (directory) {
                files.add(FileManifest.directory(path));
                continue;
            }
            byte[] sha256 = in.readNBytes(FileManifest.HASH_LENGTH);
            int length = in.readInt();
            if (length < 0 || length % FileManifest.HASH_LENGTH != 0) {
                throw new IOException("damaged manifest file: bad hash length for " + path);
            }
            byte[] chunks = in.readNBytes(length);
            if (sha256.length != FileManifest.HASH_LENGTH || chunks.length != length) {
                throw new IOException("damaged manifest file: it ends inside " + path);
            }
            files.add(new FileManifest(path, size, false, sha256, chunks));
        }
        try {
            return new GameManifest(gameId, version, chunkSize, files);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged manifest file: " + e.getMessage(), e);
        }
    }
}
