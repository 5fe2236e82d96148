package io.lanspread.download.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadStatus;

/** Records every call; the end future completes with the final status. */
class RecordingListener implements DownloadListener {
    final List<DownloadStatus> begins = new CopyOnWriteArrayList<>();
    final List<DownloadStatus> progress = new CopyOnWriteArrayList<>();
    final List<DownloadStatus> finished = new CopyOnWriteArrayList<>();
    final List<DownloadStatus> failed = new CopyOnWriteArrayList<>();
    final List<DownloadStatus> cancelled = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CompletableFuture<DownloadStatus> end = new CompletableFuture<>();
    final CompletableFuture<DownloadStatus> firstBytes = new CompletableFuture<>();
    private final Consumer<DownloadStatus> onProgress;

    RecordingListener() {
        this(status -> {
        });
    }

    RecordingListener(Consumer<DownloadStatus> onProgress) {
        this.onProgress = onProgress;
    }

    DownloadStatus awaitEnd() throws Exception {
        return end.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void begin(DownloadStatus status) {
        calls.add("begin");
        begins.add(status);
    }

    @Override
    public void progress(DownloadStatus status) {
        calls.add("progress");
        progress.add(status);
        onProgress.accept(status);
        if (status.downloadedBytes() > 0) {
            firstBytes.complete(status);
        }
    }

    @Override
    public void finished(DownloadStatus status) {
        calls.add("finished");
        finished.add(status);
        end.complete(status);
    }

    @Override
    public void failed(DownloadStatus status) {
        calls.add("failed");
        failed.add(status);
        end.complete(status);
    }

    @Override
    public void cancelled(DownloadStatus status) {
        calls.add("cancelled");
        cancelled.add(status);
        end.complete(status);
    }
}
