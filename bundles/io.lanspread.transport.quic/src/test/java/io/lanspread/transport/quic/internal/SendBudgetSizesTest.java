package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The send budget stays within the JVM's direct memory, and every connection together cannot hold it all. */
class SendBudgetSizesTest {

    private static final long MIB = 1024L * 1024;

    @Test
    void theDefaultsLetTheMostConnectionsHoldNoMoreThanTheTotal() {
        SendBudgetSizes sizes = SendBudgetSizes.of(256, 1, 4096 * MIB);

        assertThat(sizes.totalBytes()).isEqualTo(256 * MIB);
        assertThat(sizes.perConnectionBytes()).isEqualTo(MIB);
        assertThat(256 * sizes.perConnectionBytes()).isLessThanOrEqualTo(sizes.totalBytes());
    }

    @Test
    void theTotalIsAtMostHalfTheDirectMemory() {
        SendBudgetSizes sizes = SendBudgetSizes.of(256, 1, 256 * MIB);

        assertThat(sizes.totalBytes()).isEqualTo(128 * MIB);
        assertThat(100 * sizes.perConnectionBytes()).as("100 never-reading connections leave room")
                .isLessThan(sizes.totalBytes());
    }

    @Test
    void aShareIsNeverMoreThanHalfTheTotalNorLessThanAChunk() {
        assertThat(SendBudgetSizes.of(4, 8, -1).perConnectionBytes()).isEqualTo(2 * MIB);
        assertThat(SendBudgetSizes.of(1, 1, -1).perConnectionBytes()).isEqualTo(MIB / 2);
        assertThat(SendBudgetSizes.of(1, 1, MIB).totalBytes()).as("at least 1 MiB").isEqualTo(MIB);
    }
}
