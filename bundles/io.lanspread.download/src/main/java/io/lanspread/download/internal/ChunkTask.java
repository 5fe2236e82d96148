package io.lanspread.download.internal;

import java.util.LinkedHashSet;
import java.util.Set;

import io.lanspread.api.download.Chunk;

/** One chunk and its attempts so far; every mutable field is guarded by the owning job's lock. */
final class ChunkTask {
    final Chunk chunk;
    final FileTarget target;
    final Set<String> failedPeers = new LinkedHashSet<>(2);
    int attempts;
    boolean done;
    Attempt current;
    String lastProblem;

    ChunkTask(Chunk chunk, FileTarget target) {
        this.chunk = chunk;
        this.target = target;
    }

    String describe() {
        return chunk.path() + " at offset " + chunk.offset() + " (" + chunk.length() + " bytes)";
    }
}
