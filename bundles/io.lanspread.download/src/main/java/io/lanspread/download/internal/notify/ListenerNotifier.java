package io.lanspread.download.internal.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;

/**
 * Delivers download news to the {@link DownloadListener} services, in order, on one serial executor of its
 * own; a listener that throws is logged and keeps receiving. Callers decide when (coalescing, exactly-once
 * ends); this class only delivers.
 */
public final class ListenerNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerNotifier.class);

    private final List<DownloadListener> listeners = new CopyOnWriteArrayList<>();
    private final Executor serial;

    public ListenerNotifier(Executor serial) {
        this.serial = serial;
    }

    public void add(DownloadListener listener) {
        listeners.add(listener);
    }

    public void remove(DownloadListener listener) {
        listeners.remove(listener);
    }

    public void begin(DownloadStatus status) {
        deliver(status, DownloadListener::begin);
    }

    public void progress(DownloadStatus status) {
        deliver(status, DownloadListener::progress);
    }

    /** The one end call matching the final state. */
    public void ended(DownloadStatus status) {
        DownloadState state = status.state();
        deliver(status, state == DownloadState.FINISHED ? DownloadListener::finished
                : state == DownloadState.FAILED ? DownloadListener::failed : DownloadListener::cancelled);
    }

    private void deliver(DownloadStatus status, BiConsumer<DownloadListener, DownloadStatus> call) {
        try {
            serial.execute(() -> {
                for (DownloadListener listener : listeners) {
                    try {
                        call.accept(listener, status);
                    } catch (RuntimeException e) {
                        LOG.warn("download listener {} failed", listener, e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("download listeners already stopped; dropped news of {}", status.id());
        }
    }
}
