package io.lanspread.download.internal.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;

import io.lanspread.api.game.FileManifest;

/**
 * One regular file of a staging folder. Its write channel is opened on the first write; positional writes
 * from several threads are safe (each chunk is its own byte range). A file hard-linked from an installed
 * copy shares its bytes with it, so before anything writes into a file with other links the link is broken
 * (the file is copied first). Aligned bytes are written past the page cache where the file system allows it
 * ({@link DirectWrites}), the rest through it.
 */
final class StagedFile {
    private final FileManifest entry;
    private final Path local;
    private FileChannel channel;
    /** The same file opened for direct writes, null where that is not possible (guarded by this). */
    private DirectWrites direct;
    /** Set once a direct write failed here: this file is written buffered from then on (guarded by this). */
    private boolean directRefused;
    /** When linked from a local copy in this run: the shared file's modification time then. */
    private FileTime linkedModified;
    /** Writes that returned, and how many of them the last sync covered (guarded by syncLock). */
    private final AtomicLong writesDone = new AtomicLong();
    private final Object syncLock = new Object();
    private long syncedUpTo;

    StagedFile(FileManifest entry, Path local) {
        this.entry = entry;
        this.local = local;
    }

    FileManifest entry() {
        return entry;
    }

    Path local() {
        return local;
    }

    /** Creates the file at its full size, sparse; an existing file of the right size is kept as it is. */
    synchronized void preallocate() throws IOException {
        Files.createDirectories(local.getParent());
        if (Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot create file " + entry.path() + ": a folder is in the way");
        }
        if (Files.isRegularFile(local, LinkOption.NOFOLLOW_LINKS) && Files.size(local) == entry.size()) {
            return;
        }
        // never resize a file in place: it may be a link to an installed copy
        Files.deleteIfExists(local);
        try (RandomAccessFile raf = new RandomAccessFile(local.toFile(), "rw")) {
            raf.setLength(entry.size());
        } catch (IOException e) {
            throw DiskErrors.writeFailed(entry.path() + " (" + Sizes.bytes(entry.size()) + ")", local.getParent(), e);
        }
    }

    /** Replaces whatever is there by an empty sparse file of the full size (undoing a link). */
    synchronized void recreate() throws IOException {
        closeChannel();
        linkedModified = null;
        Files.deleteIfExists(local);
        preallocate();
    }

    /** Writes {@code data}'s remaining bytes at {@code position}, leaving {@code data} untouched. */
    void write(long position, ByteBuffer data) throws IOException {
        FileChannel ch = channel();
        ByteBuffer src = data.duplicate();
        long at = position;
        DirectWrites directly = direct();
        int aligned = directly == null ? 0 : directly.writable(at, src);
        if (aligned > 0) {
            ByteBuffer head = src.duplicate();
            head.limit(head.position() + aligned);
            try {
                directly.write(head, at);
                src.position(src.position() + aligned);
                at += aligned;
            } catch (ClosedChannelException e) {
                throw e; // closed under the write (the store closing, the file recreated), as a buffered one
            } catch (IOException e) {
                // a file system that opens O_DIRECT and then refuses it: the buffered write below does it all,
                // and fails in its turn if the disk itself is the problem (full, read-only)
                refuseDirect(directly);
            }
        }
        while (src.hasRemaining()) {
            at += ch.write(src, at);
        }
        writesDone.incrementAndGet();
    }

    /**
     * Makes every write that returned before this call durable (fdatasync). Concurrent callers share one
     * sync: a caller whose write is covered by a sync that began after it returns without another.
     */
    void force() throws IOException {
        long mine = writesDone.get();
        synchronized (syncLock) {
            if (syncedUpTo >= mine) {
                return;
            }
            long covered = writesDone.get(); // read before the sync starts: these writes are all in it
            FileChannel ch;
            synchronized (this) {
                ch = channel;
            }
            if (ch != null && ch.isOpen()) {
                ch.force(false);
            } else {
                try (FileChannel reopened = FileChannel.open(local, StandardOpenOption.WRITE)) {
                    reopened.force(false); // closed meanwhile: its writes still have to be durable
                }
            }
            syncedUpTo = covered;
        }
    }

    /** Replaces the file by a hard link to {@code source} (a copy where links cannot be made). */
    synchronized void linkTo(Path source) throws IOException {
        closeChannel();
        Files.deleteIfExists(local);
        try {
            Files.createLink(local, source);
            linkedModified = Files.getLastModifiedTime(local);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, local, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(local, StandardOpenOption.WRITE)) {
                ch.force(false);
            }
        }
    }

    /**
     * Whether a file linked from a copy in this run was changed through the copy since (a player editing the
     * installed game in place while its update downloads): its bytes are then no longer the verified ones.
     */
    synchronized boolean changedSinceLinked() throws IOException {
        return linkedModified != null && !linkedModified.equals(Files.getLastModifiedTime(local));
    }

    private synchronized FileChannel channel() throws IOException {
        if (channel == null) {
            breakLink();
            channel = FileChannel.open(local, StandardOpenOption.WRITE);
            direct = directRefused ? null : DirectWrites.open(local);
        }
        return channel;
    }

    private synchronized DirectWrites direct() {
        return direct;
    }

    private synchronized void refuseDirect(DirectWrites failed) {
        directRefused = true;
        if (direct == failed) {
            closeDirect();
        }
    }

    private void breakLink() throws IOException {
        if (links() <= 1) {
            return;
        }
        Path copy = local.resolveSibling(local.getFileName() + ".lanspread-unlink");
        Files.copy(local, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.move(copy, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        linkedModified = null;
    }

    private int links() {
        try {
            return ((Number) Files.getAttribute(local, "unix:nlink")).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1; // no such attribute here (Windows): nothing to break
        }
    }

    synchronized void close() {
        closeChannel();
    }

    private void closeChannel() {
        closeDirect();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the store committed before closing (or discards the file); close does not lose written data
            }
            channel = null;
        }
    }

    private void closeDirect() {
        if (direct != null) {
            try {
                direct.close();
            } catch (IOException ignored) {
                // direct writes bypass the page cache: what returned is with the file system already
            }
            direct = null;
        }
    }
}
