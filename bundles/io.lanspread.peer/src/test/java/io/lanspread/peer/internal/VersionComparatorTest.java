package io.lanspread.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class VersionComparatorTest {

    private final VersionComparator versions = VersionComparator.NATURAL;

    @Test
    void digitRunsCompareAsNumbers() {
        assertThat(versions.compare("1.10", "1.9")).isPositive();
        assertThat(versions.compare("10", "2")).isPositive();
        assertThat(versions.compare("v1.2", "v1.10")).isNegative();
        assertThat(versions.compare("build 99999999999999999999", "build 100000000000000000000")).isNegative();
    }

    @Test
    void aPrefixIsOlderAndTextComparesAsText() {
        assertThat(versions.compare("1.0", "1.0.1")).isNegative();
        assertThat(versions.compare("1.0a", "1.0b")).isNegative();
        assertThat(versions.compare("1.0B", "1.0a")).isPositive();
    }

    @Test
    void onlyEqualStringsAreEqualAndTheOrderIsConsistent() {
        assertThat(versions.compare("1.2", "1.2")).isZero();
        assertThat(versions.compare("007", "7")).isNotZero();
        assertThat(Integer.signum(versions.compare("007", "7"))).isEqualTo(-Integer.signum(versions.compare("7", "007")));
        assertThat(versions.compare(null, "1")).isNegative();
        assertThat(versions.compare(null, null)).isZero();
    }

    @Test
    void sortsALadder() {
        List<String> list = new ArrayList<>(List.of("1.10", "1.2", "1.9.9", "2.0", "1.2.0", "0.9", "1.10a"));
        list.sort(versions);
        assertThat(list).containsExactly("0.9", "1.2", "1.2.0", "1.9.9", "1.10", "1.10a", "2.0");
    }
}
