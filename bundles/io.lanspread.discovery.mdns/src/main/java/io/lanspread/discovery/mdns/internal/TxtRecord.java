package io.lanspread.discovery.mdns.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lanspread.api.discovery.LocalPeer;

/** The keys of lanspread's mDNS TXT record and their encoding. */
final class TxtRecord {

    static final String PEER_ID = "peer_id";
    static final String PROTO_VER = "proto_ver";
    static final String LIBRARY_REV = "library_rev";
    static final String FINGERPRINT = "fingerprint";
    static final String NAME = "name";
    static final String HOSTNAME = "hostname";

    /** A TXT string holds at most 255 bytes, "key=value" included (RFC 6763 section 6.1). */
    static final int MAX_ENTRY_BYTES = 255;

    private TxtRecord() {
    }

    static Map<String, String> encode(LocalPeer self, String hostname) {
        Map<String, String> txt = new LinkedHashMap<>();
        put(txt, PEER_ID, self.peerId());
        put(txt, PROTO_VER, Integer.toString(self.protocolVersion()));
        put(txt, LIBRARY_REV, Long.toString(self.libraryRevision()));
        put(txt, FINGERPRINT, self.certificateFingerprint());
        put(txt, NAME, self.name());
        put(txt, HOSTNAME, hostname);
        return txt;
    }

    static Advert decode(Map<String, String> txt) {
        return new Advert(text(txt.get(PEER_ID)), (int) number(txt.get(PROTO_VER), Integer.MAX_VALUE),
                number(txt.get(LIBRARY_REV), Long.MAX_VALUE), text(txt.get(FINGERPRINT)), text(txt.get(NAME)),
                text(txt.get(HOSTNAME)));
    }

    private static void put(Map<String, String> txt, String key, String value) {
        if (value != null && !value.isEmpty()) {
            txt.put(key, truncate(value, MAX_ENTRY_BYTES - key.length() - 1));
        }
    }

    /** Cuts {@code value} to at most {@code maxBytes} of UTF-8 without splitting a character. */
    static String truncate(String value, int maxBytes) {
        if (value.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return value;
        }
        int bytes = 0;
        int end = 0;
        while (end < value.length()) {
            int cp = value.codePointAt(end);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        return value.substring(0, end);
    }

    private static String text(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static long number(String value, long max) {
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.trim());
            return n < 0 || n > max ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
