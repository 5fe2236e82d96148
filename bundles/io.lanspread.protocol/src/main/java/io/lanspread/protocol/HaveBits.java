package io.lanspread.protocol;

import java.util.Base64;
import java.util.BitSet;

/**
 * The wire form of a have-map (protocol 4): chunk {@code i} is bit {@code i % 8} of byte {@code i / 8} (the
 * byte order of {@link BitSet#toByteArray()}), trailing zero bytes left out, in standard base64 with padding.
 * A 4 GiB game of 512 KiB chunks takes at most 1 KiB of bytes, 1.4 KiB of base64.
 */
public final class HaveBits {

    /** Most chunks a have-map may cover: as many as a manifest's hash tail can hold. */
    public static final int MAX_CHUNKS = Protocol.MAX_MANIFEST_HASH_BYTES / Protocol.HASH_BYTES;

    private HaveBits() {
    }

    public static String encode(BitSet held) {
        return Base64.getEncoder().encodeToString(held.toByteArray());
    }

    /**
     * @throws ProtocolException when the text is not base64, or sets a bit at or beyond {@code chunks}
     */
    public static BitSet decode(String text, int chunks) throws ProtocolException {
        if (chunks < 0 || chunks > MAX_CHUNKS) {
            throw new ProtocolException("a have-map of " + chunks + " chunks");
        }
        long maxChars = 4L * ((chunks + 7) / 8 + 2) / 3;
        if (text.length() > maxChars) {
            throw new ProtocolException("a have-map of " + text.length() + " characters for " + chunks + " chunks");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("a have-map that is not base64: " + e.getMessage());
        }
        BitSet held = BitSet.valueOf(bytes);
        if (held.length() > chunks) {
            throw new ProtocolException("a have-map sets chunk " + (held.length() - 1) + " of " + chunks);
        }
        return held;
    }
}
