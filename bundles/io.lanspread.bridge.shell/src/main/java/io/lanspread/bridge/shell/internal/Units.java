package io.lanspread.bridge.shell.internal;

import java.time.Duration;
import java.util.Locale;

/** Sizes, speeds, shares and durations in the units a person reads. */
final class Units {

    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.3 MiB}, {@code 1.21 GiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        String format = value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, format, value, BINARY[unit]);
    }

    /** {@code 10.2 MiB/s}. */
    static String speed(long bytesPerSecond) {
        return bytes(Math.max(0, bytesPerSecond)) + "/s";
    }

    /** {@code 42.0 %}; {@code -} while the size is unknown. */
    static String percent(long done, long total) {
        if (total <= 0) {
            return "-";
        }
        double share = Math.min(100.0, 100.0 * done / total);
        return String.format(Locale.ROOT, "%.1f %%", share);
    }

    /** Time left at the current speed: {@code 45s}, {@code 3m 05s}, {@code 2h 10m}; {@code -} without speed. */
    static String eta(long remainingBytes, long bytesPerSecond) {
        if (remainingBytes <= 0) {
            return "0s";
        }
        if (bytesPerSecond <= 0) {
            return "-";
        }
        return duration(Duration.ofSeconds((remainingBytes + bytesPerSecond - 1) / bytesPerSecond));
    }

    /** {@code 45s}, {@code 3m 05s}, {@code 2h 10m}, {@code 3d 4h}. */
    static String duration(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %dh", s / 86_400, s % 86_400 / 3600);
    }

    /** A message from below turned into a sentence: capital first letter, a full stop at the end. */
    static String sentence(String text) {
        String t = text == null || text.isBlank() ? "Something went wrong" : text.strip();
        t = Character.toUpperCase(t.charAt(0)) + t.substring(1);
        char last = t.charAt(t.length() - 1);
        return last == '.' || last == '!' || last == '?' ? t : t + ".";
    }
}
