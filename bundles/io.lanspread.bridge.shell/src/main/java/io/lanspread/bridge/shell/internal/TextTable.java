package io.lanspread.bridge.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns under a header, two spaces apart; a row may carry indented lines beneath it (an
 * error, notes). What the list commands print.
 */
final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<String>> below = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    /** Adds a row of as many cells as the header has; null cells print as {@code -}. */
    TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row needs " + header.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (String cell : cells) {
            row.add(cell == null || cell.isEmpty() ? "-" : cell);
        }
        rows.add(row);
        below.add(new ArrayList<>());
        return this;
    }

    /** A line printed indented under the last row. */
    TextTable note(String line) {
        below.get(below.size() - 1).add(line);
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        for (int r = 0; r < rows.size(); r++) {
            line(out, rows.get(r), widths);
            for (String note : below.get(r)) {
                out.append("    ").append(note).append('\n');
            }
        }
        out.setLength(out.length() - 1); // Gogo ends the output with a new line itself
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        int start = out.length();
        for (int c = 0; c < cells.size(); c++) {
            out.append(cells.get(c));
            if (c < cells.size() - 1) {
                out.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        while (out.length() > start && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
        out.append('\n');
    }
}
