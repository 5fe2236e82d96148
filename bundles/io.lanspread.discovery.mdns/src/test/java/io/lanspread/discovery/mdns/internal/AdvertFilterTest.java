package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.lanspread.api.discovery.LocalPeer;

class AdvertFilterTest {

    private static final LocalPeer SELF = new LocalPeer("me", "me", 42420, "ff", 1, 2);

    @Test
    void acceptsAnotherPeerOnTheSameProtocol() {
        assertThat(AdvertFilter.judge(advert("other", 2), SELF)).isEqualTo(AdvertFilter.Verdict.ACCEPT);
    }

    @Test
    void acceptsAPeerThatSpeaksOnlyAnOlderProtocol() {
        assertThat(AdvertFilter.judge(advert("old", 1), SELF)).isEqualTo(AdvertFilter.Verdict.ACCEPT);
    }

    @Test
    void ignoresItself() {
        assertThat(AdvertFilter.judge(advert("me", 2), SELF)).isEqualTo(AdvertFilter.Verdict.SELF);
    }

    @Test
    void ignoresOtherProtocolVersionsAndMissingVersions() {
        assertThat(AdvertFilter.judge(advert("other", 3), SELF)).isEqualTo(AdvertFilter.Verdict.OTHER_PROTOCOL);
        assertThat(AdvertFilter.judge(advert("other", -1), SELF)).isEqualTo(AdvertFilter.Verdict.OTHER_PROTOCOL);
        assertThat(AdvertFilter.judge(advert("other", 0), SELF)).isEqualTo(AdvertFilter.Verdict.OTHER_PROTOCOL);
    }

    @Test
    void ignoresAdvertsWithoutPeerId() {
        assertThat(AdvertFilter.judge(advert(null, 2), SELF)).isEqualTo(AdvertFilter.Verdict.NO_PEER_ID);
    }

    private static Advert advert(String peerId, int protocolVersion) {
        return new Advert(peerId, protocolVersion, 4, "aa", "n", "h");
    }
}
