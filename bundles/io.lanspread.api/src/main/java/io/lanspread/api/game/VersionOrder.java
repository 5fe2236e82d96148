package io.lanspread.api.game;

import java.util.Comparator;

/**
 * Orders version strings naturally: each is split into runs of ASCII digits and runs of other
 * characters, compared run by run. Digit runs compare as numbers of any length (1.10 > 1.9,
 * 20231101 > 20230101), other runs case-insensitively. At the same position a digit run sorts before a
 * text run; when one version is a prefix of the other, the longer one is newer (1.0a > 1.0). Versions
 * equal by these rules but spelled differently (1.01 and 1.1, V1 and v1) fall back to plain string
 * order, so the ordering is consistent with {@link String#equals}. {@code null} sorts first.
 */
public final class VersionOrder implements Comparator<String> {

    /** The one order every part of lanspread uses to tell which version of a game is the newest. */
    public static final VersionOrder NATURAL = new VersionOrder();

    private VersionOrder() {
    }

    @Override
    public int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int endA = runEnd(a, i);
            int endB = runEnd(b, j);
            boolean digitsA = isDigit(a.charAt(i));
            boolean digitsB = isDigit(b.charAt(j));
            int c;
            if (digitsA && digitsB) {
                c = compareNumbers(a, i, endA, b, j, endB);
            } else if (digitsA != digitsB) {
                c = digitsA ? -1 : 1;
            } else {
                c = a.substring(i, endA).compareToIgnoreCase(b.substring(j, endB));
            }
            if (c != 0) {
                return c;
            }
            i = endA;
            j = endB;
        }
        if (i < a.length() || j < b.length()) {
            return i < a.length() ? 1 : -1;
        }
        return a.compareTo(b);
    }

    private static int runEnd(String s, int start) {
        boolean digits = isDigit(s.charAt(start));
        int end = start + 1;
        while (end < s.length() && isDigit(s.charAt(end)) == digits) {
            end++;
        }
        return end;
    }

    /** Compares two digit runs by value without parsing, so any length works. */
    private static int compareNumbers(String a, int startA, int endA, String b, int startB, int endB) {
        while (startA < endA - 1 && a.charAt(startA) == '0') {
            startA++;
        }
        while (startB < endB - 1 && b.charAt(startB) == '0') {
            startB++;
        }
        int lengths = Integer.compare(endA - startA, endB - startB);
        if (lengths != 0) {
            return lengths;
        }
        for (; startA < endA; startA++, startB++) {
            int c = Character.compare(a.charAt(startA), b.charAt(startB));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
