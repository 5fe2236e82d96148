package io.lanspread.download.internal.engine;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.transport.ReceivedChunk;

/**
 * The received chunks one download holds (transport memory, often off the heap): each is released exactly
 * once, by whichever step is done with it. Once the download ended or stopped, chunks that arrive are released
 * at once, unverified ({@link #refuseNew()}); {@link #releaseAll()} also releases those still held: the safety
 * net for work a stopped manager dropped. Thread-safe.
 */
final class ChunkLoans {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final Set<Loan> held = ConcurrentHashMap.newKeySet();
    /** Guarded by this. */
    private boolean closed;

    /** Takes over a received chunk; null when new ones are refused (the chunk was released then). */
    Loan take(ReceivedChunk chunk) {
        synchronized (this) {
            if (!closed) {
                Loan loan = new Loan(chunk);
                held.add(loan);
                return loan;
            }
        }
        releaseQuietly(chunk);
        return null;
    }

    /** From now on a chunk that arrives is released at once; those held go their way. */
    synchronized void refuseNew() {
        closed = true;
    }

    /**
     * Releases every chunk held and every later one. Only once nothing reads them any more: the download is
     * stopped and its workers are idle.
     */
    void releaseAll() {
        refuseNew();
        List.copyOf(held).forEach(Loan::release);
    }

    /** Chunks taken and not released yet. */
    int held() {
        return held.size();
    }

    private static void releaseQuietly(ReceivedChunk chunk) {
        try {
            chunk.release();
        } catch (RuntimeException e) {
            LOG.warn("releasing a received chunk failed", e);
        }
    }

    /** One received chunk; the first {@link #release()} gives it back, later ones do nothing. */
    final class Loan {
        private final ReceivedChunk chunk;
        private final AtomicBoolean released = new AtomicBoolean();

        private Loan(ReceivedChunk chunk) {
            this.chunk = chunk;
        }

        /** A new read-only view of the bytes; not to be used after {@link #release()}. */
        ByteBuffer data() {
            return chunk.data();
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                held.remove(this);
                releaseQuietly(chunk);
            }
        }
    }
}
