package io.lanspread.peer.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;

import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;

/**
 * Turns what the download manager tells its listener whiteboard into {@code LanspreadEvent.Download*}
 * events for the orchestrator's event listeners. Like {@link NoticeRelay} it references nothing, so the
 * download manager can bind it while the orchestrator references the manager. The manager may report
 * downloads it resumed after a restart before the orchestrator is attached: those events are held (the
 * newest {@value #MAX_HELD}) and handed over, in order, when it attaches.
 */
@Component(name = DownloadEventRelay.NAME, service = { DownloadListener.class, DownloadEventRelay.class })
public final class DownloadEventRelay implements DownloadListener {

    static final String NAME = "io.lanspread.peer.downloads";
    static final int MAX_HELD = 256;

    private final Deque<LanspreadEvent> held = new ArrayDeque<>();
    private Consumer<LanspreadEvent> target;

    /** From now on events go to {@code events}, which must only hand them to its own thread. */
    synchronized void attach(Consumer<LanspreadEvent> events) {
        target = events;
        while (!held.isEmpty()) {
            events.accept(held.poll());
        }
    }

    /** Detaches {@code events} unless another target replaced it meanwhile. */
    synchronized void detach(Consumer<LanspreadEvent> events) {
        if (target == events) {
            target = null;
        }
    }

    @Override
    public void begin(DownloadStatus status) {
        relay(new LanspreadEvent.DownloadBegin(status));
    }

    @Override
    public void progress(DownloadStatus status) {
        relay(new LanspreadEvent.DownloadProgress(status));
    }

    @Override
    public void finished(DownloadStatus status) {
        relay(new LanspreadEvent.DownloadFinished(status));
    }

    @Override
    public void failed(DownloadStatus status) {
        relay(new LanspreadEvent.DownloadFailed(status));
    }

    @Override
    public void cancelled(DownloadStatus status) {
        relay(new LanspreadEvent.DownloadCancelled(status));
    }

    private synchronized void relay(LanspreadEvent event) {
        if (target != null) {
            target.accept(event);
            return;
        }
        if (held.size() == MAX_HELD) {
            held.poll();
        }
        held.add(event);
    }
}
