package io.lanspread.api.transport;

import java.util.BitSet;

/**
 * Which chunks of a game version a peer holds, as it answered a have request (swarming).
 *
 * @param revision grows whenever the peer holds more; ask again with it to learn only of a change
 * @param chunks   the chunks in the manifest's layout
 * @param complete the peer has the whole game (in its library); {@code held} is then null
 * @param held     the chunks it serves, or null when complete or when nothing changed since the revision asked
 */
public record HaveMap(long revision, int chunks, boolean complete, BitSet held) {
    public HaveMap {
        held = held == null ? null : (BitSet) held.clone();
    }

    @Override
    public BitSet held() {
        return held == null ? null : (BitSet) held.clone();
    }

    /** Whether nothing changed since the revision asked (not complete, and no bits). */
    public boolean unchanged() {
        return !complete && held == null;
    }
}
