package io.lanspread.download.internal.store;

import java.util.ArrayList;
import java.util.List;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/**
 * Numbers the chunks of a manifest: file by file in manifest order, each file's chunks in offset order,
 * {@link GameManifest#chunkSize()} bytes each (a file's last chunk may be shorter; empty files and
 * directories have none).
 */
public final class ChunkLayout {
    private final GameManifest manifest;
    private final List<Chunk> chunks;
    private final int[] fileOfChunk;
    private final int[] firstChunkOfFile;

    public ChunkLayout(GameManifest manifest) {
        this.manifest = manifest;
        List<FileManifest> files = manifest.files();
        int total = manifest.totalChunks();
        List<Chunk> all = new ArrayList<>(total);
        this.fileOfChunk = new int[total];
        this.firstChunkOfFile = new int[files.size()];
        int size = manifest.chunkSize();
        for (int f = 0; f < files.size(); f++) {
            FileManifest file = files.get(f);
            firstChunkOfFile[f] = all.size();
            for (int c = 0; c < file.chunkCount(); c++) {
                long offset = (long) c * size;
                int length = (int) Math.min(size, file.size() - offset);
                fileOfChunk[all.size()] = f;
                all.add(new Chunk(all.size(), file.path(), offset, length));
            }
        }
        this.chunks = List.copyOf(all);
    }

    public GameManifest manifest() {
        return manifest;
    }

    public int chunkCount() {
        return chunks.size();
    }

    public Chunk chunk(int index) {
        return chunks.get(index);
    }

    public List<Chunk> chunks() {
        return chunks;
    }

    /** The manifest entry of the file chunk {@code index} belongs to. */
    public FileManifest fileOf(int index) {
        return manifest.files().get(fileOfChunk[index]);
    }

    /** The position of chunk {@code index} within its file (0 for the file's first chunk). */
    public int chunkInFile(int index) {
        return index - firstChunkOfFile[fileOfChunk[index]];
    }

    /** The position in {@link GameManifest#files()} of the file chunk {@code index} belongs to. */
    public int fileIndexOf(int index) {
        return fileOfChunk[index];
    }

    /** The index of the first chunk of manifest entry {@code fileIndex} (where its chunks would start). */
    public int firstChunkOf(int fileIndex) {
        return firstChunkOfFile[fileIndex];
    }

    /** Whether {@code hash} is the manifest's hash of chunk {@code index}. */
    public boolean matches(int index, byte[] hash) {
        return fileOf(index).chunkHashEquals(chunkInFile(index), hash);
    }
}
