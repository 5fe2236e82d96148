package io.lanspread.download.internal.engine;

/**
 * The manager's configuration as one download uses it. A running download takes new settings when the manager's
 * configuration changes ({@link Download#reconfigure}); each piece reads them when it uses them, so every value
 * applies to the rest of the download.
 *
 * @param chunksPerSource      chunk requests in flight per source (also the received chunks it may hold)
 * @param attemptsPerChunk     failed tries of one chunk (wrong bytes or peer errors) before the download fails
 * @param dropAfterBadChunks   chunks with wrong bytes after which a peer is dropped from the download
 * @param dropAfterFailures    failed requests in a row after which a source is set aside until seen again
 * @param stallMillis          a source that delivered nothing for this long while others deliver has its
 *                             chunks requested from others too
 * @param waitingTimeoutMillis how long a download waits for a source before it is INTERRUPTED
 * @param progressMillis       progress interval
 * @param swarm                whether a download shares the chunks it verified and fetches from other peers'
 *                             partial copies (swarming)
 * @param haveRefreshMillis    how often a swarming download asks the other peers which chunks they hold
 */
public record EngineSettings(int chunksPerSource, int attemptsPerChunk, int dropAfterBadChunks, int dropAfterFailures,
        long stallMillis, long waitingTimeoutMillis, long progressMillis, boolean swarm, long haveRefreshMillis) {
    public EngineSettings {
        chunksPerSource = Math.max(1, chunksPerSource);
        attemptsPerChunk = Math.max(1, attemptsPerChunk);
        dropAfterBadChunks = Math.max(1, dropAfterBadChunks);
        dropAfterFailures = Math.max(1, dropAfterFailures);
        stallMillis = Math.max(1, stallMillis);
        waitingTimeoutMillis = Math.max(1, waitingTimeoutMillis);
        progressMillis = Math.max(10, progressMillis);
        haveRefreshMillis = Math.max(10, haveRefreshMillis);
    }
}
