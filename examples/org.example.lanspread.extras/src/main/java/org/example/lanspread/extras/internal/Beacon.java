package org.example.lanspread.extras.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One beacon: what a peer announces in a UDP broadcast. On the wire, US-ASCII lines:
 *
 * <pre>
 * LSBEACON 1
 * peer=&lt;peer id&gt;
 * port=&lt;QUIC port&gt;
 * rev=&lt;library revision&gt;
 * proto=&lt;wire protocol version&gt;
 * </pre>
 *
 * Anyone on the LAN can send anything to the beacon port, so {@link #parse} trusts nothing: at most
 * {@value #MAX_BYTES} bytes, printable ASCII only, a bounded number of short lines, each key once, every field
 * checked. A beacon only names an address to greet; the peer id is proven later by the peer's certificate.
 *
 * @param peerId          the announcing peer's id
 * @param quicPort        the UDP port its QUIC server listens on (the address is the datagram's source)
 * @param libraryRevision its library revision, or -1 when not announced
 * @param protocolVersion the wire protocol version it speaks
 */
record Beacon(String peerId, int quicPort, long libraryRevision, int protocolVersion) {

    static final String MAGIC = "LSBEACON 1";
    static final int MAX_BYTES = 512;
    private static final int MAX_LINES = 16;
    private static final int MAX_KEY = 16;
    private static final int MAX_VALUE = 128;

    byte[] encode() {
        String text = MAGIC + "\npeer=" + peerId + "\nport=" + quicPort + "\nrev=" + libraryRevision + "\nproto="
                + protocolVersion + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The beacon in {@code length} bytes of {@code data}, or empty when they are not a valid one. */
    static Optional<Beacon> parse(byte[] data, int length) {
        if (data == null || length <= 0 || length > MAX_BYTES || length > data.length) {
            return Optional.empty();
        }
        for (int i = 0; i < length; i++) {
            int b = data[i] & 0xff;
            if (b != '\n' && (b < 0x20 || b > 0x7e)) {
                return Optional.empty();
            }
        }
        String[] lines = new String(data, 0, length, StandardCharsets.US_ASCII).split("\n", -1);
        if (lines.length > MAX_LINES + 1 || !lines[0].equals(MAGIC)) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || eq > MAX_KEY || line.length() - eq - 1 > MAX_VALUE) {
                return Optional.empty();
            }
            String key = line.substring(0, eq);
            if (!key.chars().allMatch(c -> c >= 'a' && c <= 'z') || fields.put(key, line.substring(eq + 1)) != null) {
                return Optional.empty(); // a key twice: which one would count?
            }
        }
        String peer = fields.get("peer");
        long port = number(fields.get("port"), 5);
        long proto = number(fields.get("proto"), 9);
        String revText = fields.get("rev");
        long rev = revText == null ? -1 : number(revText, 18);
        if (!validPeerId(peer) || port < 1 || port > 65535 || proto < 1 || (revText != null && rev < 0)) {
            return Optional.empty();
        }
        return Optional.of(new Beacon(peer, (int) port, rev, (int) proto));
    }

    static boolean validPeerId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_VALUE
                && id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || c == '-' || c == '_');
    }

    /** A decimal of at most {@code digits} digits, or -1. */
    private static long number(String text, int digits) {
        if (text == null || text.isEmpty() || text.length() > digits
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }
}
