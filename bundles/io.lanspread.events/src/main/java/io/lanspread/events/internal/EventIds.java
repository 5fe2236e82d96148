package io.lanspread.events.internal;

import java.security.SecureRandom;
import java.util.OptionalLong;

/**
 * Event ids {@code <boot id>-<sequence>}. The boot id is random for every start of the hub, so an id from an
 * earlier run is recognised as foreign instead of being taken for a sequence of this one.
 */
final class EventIds {

    private static final int MAX_SEQUENCE_DIGITS = 18; // stays within a long

    private final String bootId;

    EventIds(String bootId) {
        if (bootId.isEmpty() || bootId.indexOf('-') >= 0) {
            throw new IllegalArgumentException("a boot id is non-empty and has no '-': " + bootId);
        }
        this.bootId = bootId;
    }

    /** 64 random bits in base 36 (up to 13 characters). */
    static EventIds random() {
        return new EventIds(Long.toUnsignedString(new SecureRandom().nextLong(), 36));
    }

    String bootId() {
        return bootId;
    }

    String id(long sequence) {
        return bootId + "-" + sequence;
    }

    /** The sequence in an id of this run; empty for null, malformed ids and ids of another run. */
    OptionalLong sequenceOf(String id) {
        if (id == null) {
            return OptionalLong.empty();
        }
        String text = id.trim();
        int dash = text.lastIndexOf('-');
        if (dash < 0 || !text.substring(0, dash).equals(bootId)) {
            return OptionalLong.empty();
        }
        String digits = text.substring(dash + 1);
        if (digits.isEmpty() || digits.length() > MAX_SEQUENCE_DIGITS
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }
}
