package io.lanspread.download.internal.engine;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the one thread of control of a download,
 * so that its state needs no locks. A task that throws is logged and the next one runs.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
            LOG.debug("download executor stopped; task dropped");
        }
    }

    private void drain() {
        for (int done = 0; ; done++) {
            Runnable task;
            synchronized (tasks) {
                if (tasks.isEmpty()) {
                    running = false;
                    return;
                }
                if (done >= 64) {
                    resubmit(); // let other downloads run; the order of this one's tasks is kept
                    return;
                }
                task = tasks.poll();
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("download task failed", e);
            }
        }
    }

    private void resubmit() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            tasks.clear();
            running = false;
        }
    }
}
