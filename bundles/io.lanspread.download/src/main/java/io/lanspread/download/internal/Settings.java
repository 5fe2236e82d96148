package io.lanspread.download.internal;

/** The manager's configuration as one download uses it; fixed when the download starts. */
record Settings(int parallelPerPeer, int maxAttempts, long progressIntervalMillis, int dropAfterFailures,
        long chunkTimeoutMillis) {

    static Settings of(DownloadManagerImpl.Config config) {
        return new Settings(Math.max(1, config.parallel_per_peer()), Math.max(1, config.max_attempts()),
                Math.max(10, config.progress_interval_millis()), Math.max(1, config.drop_after_failures()),
                Math.max(1, config.chunk_timeout_seconds()) * 1000L);
    }
}
