package io.lanspread.discovery.mdns.internal;

import io.lanspread.api.discovery.LocalPeer;

/**
 * Which advertisements are peers to report: not ourselves, with a peer id, speaking a wire protocol version
 * this peer also speaks (1 up to its own: both sides offer every version they speak in the handshake).
 */
final class AdvertFilter {

    /** The oldest wire protocol version lanspread still speaks. */
    static final int OLDEST_PROTOCOL = 1;

    enum Verdict {
        ACCEPT, SELF, NO_PEER_ID, OTHER_PROTOCOL
    }

    private AdvertFilter() {
    }

    static Verdict judge(Advert advert, LocalPeer self) {
        if (advert.peerId() == null) {
            return Verdict.NO_PEER_ID;
        }
        if (advert.peerId().equals(self.peerId())) {
            return Verdict.SELF;
        }
        if (advert.protocolVersion() < OLDEST_PROTOCOL || advert.protocolVersion() > self.protocolVersion()) {
            return Verdict.OTHER_PROTOCOL;
        }
        return Verdict.ACCEPT;
    }
}
