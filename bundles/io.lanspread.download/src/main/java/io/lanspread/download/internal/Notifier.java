package io.lanspread.download.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadStatus;

/**
 * Delivers one download's listener calls in order on the manager's executor, one at a time, and nothing
 * after the final call. A listener that throws is logged and otherwise ignored.
 */
final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private record Call(Runnable run, boolean progress) {
    }

    private final Executor executor;
    private final DownloadListener listener;
    private final ArrayDeque<Call> queue = new ArrayDeque<>();
    private boolean draining;
    private Thread delivering;
    private boolean progressClosed;
    private boolean ended;

    Notifier(Executor executor, DownloadListener listener) {
        this.executor = executor;
        this.listener = listener;
    }

    void begin(DownloadStatus status) {
        post(status, DownloadListener::begin, false, false);
    }

    void progress(DownloadStatus status) {
        post(status, DownloadListener::progress, true, false);
    }

    /**
     * No progress from now on: progress not yet delivered is dropped, and one being delivered right now is
     * waited for (briefly), so the caller may change what the listener could observe.
     */
    synchronized void closeProgress(long timeoutMillis) {
        progressClosed = true;
        queue.removeIf(Call::progress);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean interrupted = false;
        while (delivering != null && delivering != Thread.currentThread()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("download listener {} is slow; continuing without it", listener);
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The final call: finished, failed or cancelled, chosen by the status' state. */
    void end(DownloadStatus status) {
        BiConsumer<DownloadListener, DownloadStatus> call = switch (status.state()) {
            case FINISHED -> DownloadListener::finished;
            case FAILED -> DownloadListener::failed;
            case CANCELLED -> DownloadListener::cancelled;
            case RUNNING -> throw new IllegalArgumentException("not a final state: " + status);
        };
        post(status, call, false, true);
    }

    private void post(DownloadStatus status, BiConsumer<DownloadListener, DownloadStatus> call, boolean progress,
            boolean last) {
        synchronized (this) {
            if (ended || (progress && progressClosed)) {
                return;
            }
            ended = last;
            progressClosed |= last;
            queue.add(new Call(() -> call.accept(listener, status), progress));
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain(); // shutting down: deliver on the caller's thread rather than lose the final call
        }
    }

    private void drain() {
        while (true) {
            Call next;
            synchronized (this) {
                delivering = null;
                notifyAll();
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                delivering = Thread.currentThread();
            }
            try {
                next.run().run();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("download listener {} failed", listener, e);
            }
        }
    }
}
