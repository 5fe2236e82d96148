package org.example.lanspread.extras.internal;

import java.util.HashSet;
import java.util.function.IntPredicate;

import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;

/** {@link FakeDownload} for tests outside this package. */
public final class FakeDownloadAccess {
    private final FakeDownload download;

    public FakeDownloadAccess(int chunks) {
        download = new FakeDownload(chunks);
    }

    public SourceView source(String peerId, String ip, IntPredicate has) {
        return download.source(peerId, ip, 8, has);
    }

    public void markInFlight(int index) {
        download.inFlight.computeIfAbsent(index, k -> new HashSet<>()).add("elsewhere");
    }

    public PlanningContext context() {
        return download;
    }
}
