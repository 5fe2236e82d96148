package io.lanspread.api.transport;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The bytes of one chunk as a peer sent them, lent by the transport from its buffer pool (off the Java heap
 * where it can): whoever receives one must {@link #release()} it exactly once, when done with the bytes
 * (after writing them, or at once when they are not wanted). The bytes carry no hash of the sender; they are
 * verified by the receiver against the manifest it chose.
 */
@ProviderType
public interface ReceivedChunk {

    /** The requested range these bytes are. */
    ChunkRange range();

    /**
     * The bytes, read-only, from position 0 to the range's length; a direct buffer when the transport has
     * one. Each call returns a new view of them. Not to be used after {@link #release()}.
     */
    ByteBuffer data();

    /** Gives the memory back; the bytes must not be read afterwards. A second call does nothing. */
    void release();
}
