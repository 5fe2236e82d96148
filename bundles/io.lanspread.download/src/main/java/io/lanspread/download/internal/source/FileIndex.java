package io.lanspread.download.internal.source;

import java.util.BitSet;
import java.util.List;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.download.internal.store.ChunkLayout;

/** Which file of the chosen manifest each chunk belongs to, and which files a holder agrees on. */
public final class FileIndex {
    private final GameManifest chosen;
    private final int[] fileOfChunk;

    public FileIndex(ChunkLayout layout) {
        this.chosen = layout.manifest();
        this.fileOfChunk = new int[layout.chunkCount()];
        List<FileManifest> files = chosen.files();
        int chunk = 0;
        for (int f = 0; f < files.size(); f++) {
            for (int c = 0; c < files.get(f).chunkCount(); c++) {
                fileOfChunk[chunk++] = f;
            }
        }
    }

    public int fileOf(int chunk) {
        return fileOfChunk[chunk];
    }

    public int fileCount() {
        return chosen.files().size();
    }

    public int indexOf(String path) {
        List<FileManifest> files = chosen.files();
        for (int f = 0; f < files.size(); f++) {
            if (files.get(f).path().equals(path)) {
                return f;
            }
        }
        return -1;
    }

    public String path(int file) {
        return chosen.files().get(file).path();
    }

    /** The files of the chosen manifest on which {@code holder} has exactly the chosen content. */
    public BitSet agreedFiles(GameManifest holder) {
        BitSet agreed = new BitSet(fileCount());
        List<FileManifest> files = chosen.files();
        for (int f = 0; f < files.size(); f++) {
            FileManifest mine = files.get(f);
            if (holder.chunkSize() == chosen.chunkSize() && holder.file(mine.path()).map(mine::sameContent).orElse(false)) {
                agreed.set(f);
            }
        }
        return agreed;
    }

    /** The files that have chunks (regular, non-empty): the only ones a source must hold to be complete. */
    public BitSet filesWithChunks() {
        BitSet withChunks = new BitSet(fileCount());
        List<FileManifest> files = chosen.files();
        for (int f = 0; f < files.size(); f++) {
            if (files.get(f).chunkCount() > 0) {
                withChunks.set(f);
            }
        }
        return withChunks;
    }
}
