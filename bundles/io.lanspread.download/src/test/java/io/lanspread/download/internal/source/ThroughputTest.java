package io.lanspread.download.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ThroughputTest {

    private static final long MS = 1_000_000L;
    private static final long CHUNK = 512 * 1024;
    private final AtomicLong clock = new AtomicLong(1_000 * MS);

    /** 20 chunks a second: 10 MiB/s. */
    private void feedOneSecond(Throughput rate) {
        for (int i = 0; i < 20; i++) {
            clock.addAndGet(50 * MS);
            rate.add(CHUNK);
        }
    }

    @Test
    void aDownloadsRateIgnoresTheTimeBeforeItsFirstBytes() {
        Throughput rate = Throughput.sinceFirstBytes(clock::get);
        clock.addAndGet(3_000 * MS); // peers, manifest, first requests in flight
        assertThat(rate.bytesPerSecond()).isZero();
        rate.add(CHUNK);
        assertThat(rate.bytesPerSecond()).as("one sample says nothing about a rate").isZero();
        feedOneSecond(rate);
        assertThat(rate.bytesPerSecond()).isBetween(9L * 1024 * 1024, 11L * 1024 * 1024);
    }

    @Test
    void aSourcesRateCountsFromWhenItJoined() {
        Throughput rate = new Throughput(clock::get);
        clock.addAndGet(3_000 * MS);
        feedOneSecond(rate);
        // 10 MiB over the 4 s since it joined: the planners' view, unchanged
        assertThat(rate.bytesPerSecond()).isBetween(2L * 1024 * 1024, 3L * 1024 * 1024);
    }

    @Test
    void theWindowSlides() {
        Throughput rate = Throughput.sinceFirstBytes(clock::get);
        rate.add(CHUNK);
        for (int second = 0; second < 6; second++) {
            feedOneSecond(rate);
        }
        clock.addAndGet(5_000 * MS); // the transfer stopped
        assertThat(rate.bytesPerSecond()).isZero();
    }
}
