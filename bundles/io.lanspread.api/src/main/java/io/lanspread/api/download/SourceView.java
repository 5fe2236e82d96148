package io.lanspread.api.download;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** Live figures of one source in one download. */
@ProviderType
public interface SourceView {

    String peerId();

    /** The address its server listens on. */
    InetSocketAddress address();

    /** Whether it holds chunk {@code index} (a source may hold only some files, or only some chunks). */
    boolean has(int index);

    /** Whether it holds every chunk of the download. */
    boolean complete();

    /** Chunks requested from it and not answered yet. */
    int inFlight();

    /** How many chunks may be in flight from it at once. */
    int capacity();

    /** Verified bytes it delivered per second, over the last few seconds. */
    long bytesPerSecond();

    /** Verified bytes it delivered in this download. */
    long deliveredBytes();

    /** Requests to it that failed (errors, timeouts). */
    int failures();

    /** Chunks from it that did not match the manifest. */
    int badChunks();

    /** Milliseconds since it last delivered a chunk, or since its oldest request when none came yet. */
    long idleMillis();
}
