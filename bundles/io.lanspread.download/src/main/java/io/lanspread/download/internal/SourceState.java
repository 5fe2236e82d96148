package io.lanspread.download.internal;

import io.lanspread.api.download.PeerSource;
import io.lanspread.api.download.SourceLoad;

/** How one source does in one download; every mutable field is guarded by the owning job's lock. */
final class SourceState {
    final PeerSource source;
    int inFlight;
    long inFlightBytes;
    long doneBytes;
    int failures;
    int consecutiveFailures;
    boolean dropped;

    SourceState(PeerSource source) {
        this.source = source;
    }

    String id() {
        return source.peerId();
    }

    SourceLoad load() {
        return new SourceLoad(source, inFlightBytes, doneBytes, failures);
    }
}
