package io.lanspread.download.internal.verify;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.lanspread.api.download.Chunk;
import io.lanspread.download.internal.store.ChunkLayout;

/**
 * Checks received bytes against the chosen manifest (never against anything the sender says about them):
 * the length of the chunk and the SHA-256 the holders agreed on. Hashes on a worker pool, off the network
 * threads and off the download's serial executor, reading the buffer in place (a direct one too).
 */
public final class ChunkVerifier {
    private final Executor workers;

    public ChunkVerifier(Executor workers) {
        this.workers = workers;
    }

    /** Completes with whether {@code data} (position to limit, left untouched) is chunk {@code index}. */
    public CompletableFuture<Boolean> verify(ChunkLayout layout, int index, ByteBuffer data) {
        return CompletableFuture.supplyAsync(() -> matches(layout, index, data), workers);
    }

    static boolean matches(ChunkLayout layout, int index, ByteBuffer data) {
        Chunk chunk = layout.chunk(index);
        if (data == null || data.remaining() != chunk.length()) {
            return false;
        }
        return layout.matches(index, sha256(data));
    }

    public static byte[] sha256(ByteBuffer data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data.duplicate());
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
