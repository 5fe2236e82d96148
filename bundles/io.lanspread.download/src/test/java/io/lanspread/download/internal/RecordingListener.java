package io.lanspread.download.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lanspread.api.download.DownloadListener;
import io.lanspread.api.download.DownloadStatus;

/** Records every call, in order. */
class RecordingListener implements DownloadListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<DownloadStatus> statuses = new CopyOnWriteArrayList<>();

    private void record(String call, DownloadStatus status) {
        calls.add(call + ":" + status.id() + ":" + status.state());
        statuses.add(status);
    }

    long count(String call, String id) {
        return calls.stream().filter(c -> c.startsWith(call + ":" + id + ":")).count();
    }

    @Override
    public void begin(DownloadStatus status) {
        record("begin", status);
    }

    @Override
    public void progress(DownloadStatus status) {
        record("progress", status);
    }

    @Override
    public void finished(DownloadStatus status) {
        record("finished", status);
    }

    @Override
    public void failed(DownloadStatus status) {
        record("failed", status);
    }

    @Override
    public void cancelled(DownloadStatus status) {
        record("cancelled", status);
    }
}
