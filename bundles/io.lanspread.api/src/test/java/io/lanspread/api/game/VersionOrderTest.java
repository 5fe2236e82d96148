package io.lanspread.api.game;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class VersionOrderTest {

    private static int cmp(String a, String b) {
        return VersionOrder.NATURAL.compare(a, b);
    }

    private static void assertNewer(String newer, String older) {
        assertThat(cmp(newer, older)).as("%s > %s", newer, older).isPositive();
        assertThat(cmp(older, newer)).as("%s < %s", older, newer).isNegative();
    }

    @Test
    void numericRunsCompareByValue() {
        assertNewer("1.10", "1.9");
        assertNewer("20231101", "20230101");
        assertNewer("2", "1");
        assertNewer("1.0.10", "1.0.9");
        assertNewer("v1.2.100", "v1.2.99");
    }

    @Test
    void numbersLongerThanALongWork() {
        assertNewer("123456789012345678901234567891", "123456789012345678901234567890");
        assertNewer("99999999999999999999999", "9999999999999999999999");
    }

    @Test
    void leadingZerosDoNotChangeTheValue() {
        assertNewer("1.10", "1.09");
        assertNewer("1.010", "1.9");
    }

    @Test
    void textRunsCompareCaseInsensitively() {
        assertNewer("1.0b", "1.0a");
        assertNewer("1.0B", "1.0a");
        assertNewer("1.0b", "1.0A");
        assertNewer("release", "beta");
    }

    @Test
    void longerVersionWithTheSamePrefixIsNewer() {
        assertNewer("1.0.1", "1.0");
        assertNewer("1.0a", "1.0");
        assertNewer("1", "");
    }

    @Test
    void digitsSortBeforeText() {
        assertNewer("abc", "123");
        assertNewer("1.x", "1.0");
    }

    @Test
    void equalByRulesButDifferentStringsFallBackToStringOrder() {
        assertThat(Integer.signum(cmp("1.01", "1.1"))).isEqualTo(Integer.signum("1.01".compareTo("1.1"))).isNotZero();
        assertThat(Integer.signum(cmp("V1", "v1"))).isEqualTo(Integer.signum("V1".compareTo("v1"))).isNotZero();
        assertThat(cmp("1.01", "1.1")).isEqualTo(-cmp("1.1", "1.01"));
    }

    @Test
    void equalStringsAreEqual() {
        assertThat(cmp("1.2.3", "1.2.3")).isZero();
        assertThat(cmp("", "")).isZero();
        assertThat(cmp(null, null)).isZero();
    }

    @Test
    void nullSortsFirst() {
        assertThat(cmp(null, "")).isNegative();
        assertThat(cmp("1", null)).isPositive();
    }

    @Test
    void sortsAMixedListNaturally() {
        List<String> expected = List.of("0.9", "1.0", "1.0a", "1.0b", "1.2", "1.9", "1.10", "1.10.1", "2", "10", "20230101",
                "20231101");
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(42));
        shuffled.sort(VersionOrder.NATURAL);
        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void isATotalOrderOnRandomVersions() {
        Random random = new Random(7);
        String alphabet = "0123456789.aAbB-";
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(6);
            for (int k = 0; k < length; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            versions.add(sb.toString());
        }
        for (String a : versions) {
            for (String b : versions) {
                int ab = cmp(a, b);
                assertThat(Integer.signum(ab)).isEqualTo(-Integer.signum(cmp(b, a)));
                assertThat(ab == 0).isEqualTo(a.equals(b));
                for (String c : versions.subList(0, 30)) {
                    if (ab > 0 && cmp(b, c) > 0) {
                        assertThat(cmp(a, c)).as("%s > %s > %s", a, b, c).isPositive();
                    }
                }
            }
        }
    }
}
