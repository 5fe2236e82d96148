package io.lanspread.peer.internal;

import java.util.Comparator;

/**
 * Orders version strings naturally: runs of digits compare as numbers ({@code 1.10 > 1.9}), other runs
 * as text (case-insensitive first), and a version that is a prefix of another is older. Versions that
 * differ only in leading zeros or case are still ordered, so only equal strings compare as 0.
 */
final class VersionComparator implements Comparator<String> {

    static final VersionComparator NATURAL = new VersionComparator();

    private VersionComparator() {
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
            boolean digitsA = Character.isDigit(a.charAt(i));
            boolean digitsB = Character.isDigit(b.charAt(j));
            int c;
            if (digitsA && digitsB) {
                c = compareNumbers(a.substring(i, endA), b.substring(j, endB));
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
        boolean digits = Character.isDigit(s.charAt(start));
        int end = start + 1;
        while (end < s.length() && Character.isDigit(s.charAt(end)) == digits) {
            end++;
        }
        return end;
    }

    private static int compareNumbers(String a, String b) {
        String x = stripZeros(a);
        String y = stripZeros(b);
        if (x.length() != y.length()) {
            return Integer.compare(x.length(), y.length());
        }
        return x.compareTo(y);
    }

    private static String stripZeros(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        return digits.substring(k);
    }
}
