package io.lanspread.peer.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;

/** The listener whiteboard: every event goes to every listener, in order, on one thread. */
final class EventDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final List<LanspreadEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lanspread-events");
        t.setDaemon(true);
        return t;
    });

    void add(LanspreadEventListener listener) {
        listeners.add(listener);
    }

    void remove(LanspreadEventListener listener) {
        listeners.remove(listener);
    }

    void post(LanspreadEvent event) {
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.debug("Stopped; dropping {}", event);
        }
    }

    private void deliver(LanspreadEvent event) {
        for (LanspreadEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Event listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
            }
        }
    }

    /** Delivers what is queued (briefly), then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
