package io.lanspread.peer.internal;

import java.util.function.Consumer;

import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;

/** Forwards one download's progress as events; runs {@code onFinished} once the game is complete. */
final class DownloadEvents implements DownloadListener {

    private final Consumer<LanspreadEvent> events;

    DownloadEvents(Consumer<LanspreadEvent> events) {
        this.events = events;
    }

    @Override
    public void begin(DownloadStatus status) {
        events.accept(new LanspreadEvent.DownloadBegin(status));
    }

    @Override
    public void progress(DownloadStatus status) {
        events.accept(new LanspreadEvent.DownloadProgress(status));
    }

    @Override
    public void finished(DownloadStatus status) {
        events.accept(new LanspreadEvent.DownloadFinished(status));
    }

    @Override
    public void failed(DownloadStatus status) {
        events.accept(new LanspreadEvent.DownloadFailed(status));
    }

    @Override
    public void cancelled(DownloadStatus status) {
        events.accept(new LanspreadEvent.DownloadCancelled(status));
    }
}
