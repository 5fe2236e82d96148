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
 * <p>Thread-safe: chunks may be written concurrently from several threads. Crash-safe: written chunks are made
 * durable in batches (group commit: force the files, then append the marks to a log), so a mark always
 * points at durable bytes; after a crash a marked chunk is re-hashed before it counts, and a chunk written
 * but not marked is fetched again. A crash loses at most the chunks written since the last commit.
 */
public interface DownloadStore extends AutoCloseable {

    String downloadId();

    GameManifest manifest();

    ChunkLayout layout();

    /** Chunks verified, durable and marked now (a copy); chunks written since the last commit are not in it. */
    BitSet done();

    /** Whether chunk {@code index} is in {@link #done()}, without copying it. Never blocks. */
    default boolean isDone(int index) {
        return done().get(index);
    }

    /**
     * Reads the bytes of a chunk as they are in staging now, into {@code target} from its position (exactly
     * {@code chunk.length()} bytes). The caller checks them against the manifest: this only reads. Thread-safe,
     * also while chunks are being written.
     *
     * @throws IOException when the store is closed, installed or discarded, or reading fails
     */
    default void read(Chunk chunk, ByteBuffer target) throws IOException {
        throw new IOException("this store cannot be read back");
    }

    /**
     * A done chunk whose bytes in staging were found not to match the manifest any more: it is no longer done,
     * so {@link #write} takes its bytes again and {@link #install} refuses to run until it did. Its mark may stay
     * in the journal: a recovered store re-hashes every mark before it counts. Thread-safe, never blocks on I/O.
     */
    void unmark(int index);

    /**
     * Commits what waits, then hashes every done chunk in staging again: those that no longer match the manifest
     * are {@linkplain #unmark unmarked} and returned. For a download whose staging was found changed behind its
     * back, before it installs. Runs at disk speed on the calling thread; no chunk may be written meanwhile.
     */
    BitSet recheck() throws IOException;

    /** Bytes of the done chunks that came from local copies (reuse), as opposed to peers. */
    long reusedBytes();

    /**
     * Writes the bytes of a chunk that the caller verified against the manifest, without forcing them; the
     * chunk is done once a commit made it durable. Commits by itself when a batch is due ({@link #commitDue()}).
     * {@code data} is read from its position to its limit and not modified; the caller may release it when this
     * returns.
     *
     * @throws IOException when writing fails (a full disk among others), or the commit it ran failed
     */
    void write(Chunk chunk, ByteBuffer data) throws IOException;

    /**
     * Makes every chunk written before this call durable, then marks it done: forces the files written to,
     * then appends the marks. Waits for a commit under way; does nothing when no chunk waits.
     *
     * @throws IOException when forcing or marking fails; the chunks of that batch stay not done
     */
    void commit() throws IOException;

    /** Whether written chunks wait for a commit. Never blocks. */
    boolean uncommitted();

    /** Whether the chunks waiting for a commit are many or old enough that one is due now. Never blocks. */
    boolean commitDue();

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
     * Every chunk is written: commits what waits (so every byte is forced and marked first), creates the
     * directories and empty files, writes {@code version.ini} last, swaps the staging folder in for the
     * installed copy, and moves over the player's own files from the installed copy (files that are neither
     * in the installed manifest lanspread recorded nor in the new manifest, such as saves). Records the new
     * manifest as installed. Deletes the journal.
     *
     * @throws IOException when the commit or the swap fails; the installed copy is then left as it was
     */
    void install() throws IOException;

    /**
     * Deletes the staging folder and the journal (a cancel or a failure), without committing what waits. Never
     * touches an installed copy.
     */
    void discard();

    /**
     * Commits what waits (a failure is logged: those chunks are fetched again) and releases open files; the
     * store stays on disk for a later {@link StoreFactory#recover}.
     */
    @Override
    void close();
}
