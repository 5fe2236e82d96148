package io.lanspread.api.game;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One game version this peer is downloading, as it may be shared: the manifest its download agreed on and the
 * chunks verified and on disk. Thread-safe; every call answers from the download's current state.
 */
@ProviderType
public interface PartialCopy {

    /** The manifest the download chose; chunks are numbered as its files and offsets lay them out. */
    GameManifest manifest();

    /** {@link GameManifest#contentHash()} of {@link #manifest()}. */
    byte[] contentHash();

    /** Grows whenever a chunk is added to {@link #held()}. */
    long revision();

    /** The chunks verified against the manifest and durable on disk (a copy). */
    BitSet held();

    /**
     * Reads the chunk that starts at {@code offset} of {@code path} (exactly one chunk of the manifest, the whole
     * of it) into {@code target} from its position, and checks it against the manifest again before it counts.
     * Nothing unverified is ever handed out: a chunk not held, or whose bytes on disk no longer match, is
     * refused.
     *
     * @return whether {@code length} verified bytes were written to {@code target}; on false its content is to be
     *         ignored
     * @throws IOException when reading fails (the download ended and its folder moved, for example)
     */
    boolean read(String path, long offset, int length, ByteBuffer target) throws IOException;
}
