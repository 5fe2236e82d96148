package io.lanspread.download.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.game.GameManifest;

/**
 * The persistent side of one download whose manifest has been chosen: its staging folder
 * ({@code <gamesDir>/.lanspread-tmp/<stable name per game and version>/}) and its journal
 * ({@code <state.dir>/downloads/<downloadId>/}: request, chosen manifest, verified-chunk marks). Chunk
 * indices are those of {@link ChunkLayout} for {@link #manifest()}.
 *
 * <p>Thread-safe: chunks may be written concurrently from several threads. Crash-safe: a chunk is marked
 * done only after its bytes are durable (forced to disk), and marks are appended to a log, so after a crash
 * a marked chunk is at worst re-verified and never silently wrong (a reopened store re-hashes every marked
 * chunk before it counts).
 */
public interface DownloadStore extends AutoCloseable {

    String downloadId();

    GameManifest manifest();

    ChunkLayout layout();

    /** Chunks verified and durable now (a copy). */
    BitSet done();

    /** Bytes of the done chunks that came from local copies (reuse), as opposed to peers. */
    long reusedBytes();

    /**
     * Writes the bytes of a chunk that the caller verified against the manifest, makes them durable and
     * marks the chunk done. {@code data} is read from its position to its limit and not modified.
     *
     * @throws IOException when writing fails (a full disk among others); the chunk stays not done
     */
    void write(Chunk chunk, ByteBuffer data) throws IOException;

    /**
     * Takes what local copies already hold instead of fetching it: a file whose manifest entry is identical
     * in a copy (all of its chunks valid there) is hard-linked into staging (copied where links cannot be
     * made); any other chunk whose hash matches a valid chunk anywhere in a copy is copied, verified and
     * marked done. Stops early when {@code cancelled} says so. Call it before fetching starts: it replaces
     * whole files and must not run concurrently with {@link #write} into the same store.
     *
     * @return the bytes reused by this call
     */
    long reuse(List<LocalCopy> copies, BooleanSupplier cancelled) throws IOException;

    /**
     * Every chunk is done: creates the directories and empty files, writes {@code version.ini} last, swaps
     * the staging folder in for the installed copy, and moves over the player's own files from the installed
     * copy (files that are neither in the installed manifest lanspread recorded nor in the new manifest,
     * such as saves). Records the new manifest as installed. Deletes the journal.
     *
     * @throws IOException when the swap fails; the installed copy is then left as it was
     */
    void install() throws IOException;

    /** Deletes the staging folder and the journal (a cancel or a failure). Never touches an installed copy. */
    void discard();

    /** Releases open files; the store stays on disk for a later {@link StoreFactory#recover}. */
    @Override
    void close();
}
