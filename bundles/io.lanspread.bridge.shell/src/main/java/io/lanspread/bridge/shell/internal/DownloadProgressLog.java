package io.lanspread.bridge.shell.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEventListener;

/**
 * Logs every download, wherever it was started (page, API, shell, a resume after a restart): its begin,
 * its progress every few seconds at INFO with share done, speed and time left, a change of state (waiting,
 * interrupted) at once, and its end with the outcome. Runs on the runtime's event thread: it only formats
 * and logs.
 */
@Component(name = DownloadProgressLog.PID, service = LanspreadEventListener.class)
@Designate(ocd = DownloadProgressLog.Config.class)
public class DownloadProgressLog implements LanspreadEventListener {

    static final String PID = "io.lanspread.bridge.shell.progress";
    private static final Logger LOG = LoggerFactory.getLogger(DownloadProgressLog.class);

    @ObjectClassDefinition(name = "lanspread download log", description = "How often running downloads are logged.")
    public @interface Config {
        @AttributeDefinition(name = "Progress interval (s)", description = "Seconds between two progress lines of one download at INFO; its begin, a change of state and its end are logged at once.", min = "1")
        int progress_interval_seconds() default 5;
    }

    /** Where the lines go: the log, or a test. */
    interface Sink {
        void info(String line);

        void warn(String line);
    }

    private record Tracked(long beganNanos, long loggedNanos, DownloadState state) {
    }

    private final Sink sink;
    private final LongSupplier nanoTime;
    private final Map<String, Tracked> running = new ConcurrentHashMap<>();
    private volatile long intervalNanos;

    @Activate
    public DownloadProgressLog(Config config) {
        this(config, new Sink() {
            @Override
            public void info(String line) {
                LOG.info(line);
            }

            @Override
            public void warn(String line) {
                LOG.warn(line);
            }
        }, System::nanoTime);
    }

    DownloadProgressLog(Config config, Sink sink, LongSupplier nanoTime) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        modified(config);
    }

    @Modified
    void modified(Config config) {
        intervalNanos = TimeUnit.SECONDS.toNanos(Math.max(1, config.progress_interval_seconds()));
    }

    @Override
    public void onEvent(LanspreadEvent event) {
        if (event instanceof LanspreadEvent.DownloadBegin e) {
            long now = nanoTime.getAsLong();
            running.put(e.status().id(), new Tracked(now, now, e.status().state()));
            sink.info(ProgressLines.begin(e.status()));
        } else if (event instanceof LanspreadEvent.DownloadProgress e) {
            progress(e.status());
        } else if (event instanceof LanspreadEvent.DownloadFinished e) {
            sink.info(ProgressLines.end(e.status(), took(e.status())));
        } else if (event instanceof LanspreadEvent.DownloadFailed e) {
            sink.warn(ProgressLines.end(e.status(), took(e.status())));
        } else if (event instanceof LanspreadEvent.DownloadCancelled e) {
            sink.info(ProgressLines.end(e.status(), took(e.status())));
        }
    }

    private void progress(DownloadStatus status) {
        long now = nanoTime.getAsLong();
        Tracked last = running.get(status.id());
        if (last == null) { // a download this log did not see begin (it started before this component)
            running.put(status.id(), new Tracked(now, now, status.state()));
            sink.info(ProgressLines.progress(status));
            return;
        }
        boolean stateChanged = last.state() != status.state();
        if (stateChanged || now - last.loggedNanos() >= intervalNanos) {
            running.put(status.id(), new Tracked(last.beganNanos(), now, status.state()));
            sink.info(ProgressLines.progress(status));
        }
    }

    /** Forgets the download; how long it ran since its begin (null when its begin was not seen). */
    private Duration took(DownloadStatus status) {
        Tracked t = running.remove(status.id());
        return t == null ? null : Duration.ofNanos(nanoTime.getAsLong() - t.beganNanos());
    }
}
