package io.lanspread.download.internal.store;

import java.util.Locale;

/** Byte counts as people read them. */
public final class Sizes {
    private Sizes() {
    }

    /** "1288490188 bytes (1.2 GiB)". */
    public static String bytes(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : bytes + " bytes (" + human(bytes) + ")";
    }

    /** "1.2 GiB"; "12 bytes" below a KiB. */
    public static String human(long bytes) {
        String[] units = { "KiB", "MiB", "GiB", "TiB", "PiB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit < 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
