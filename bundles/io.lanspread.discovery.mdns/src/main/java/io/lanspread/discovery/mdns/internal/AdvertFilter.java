package io.lanspread.discovery.mdns.internal;

import io.lanspread.api.discovery.LocalPeer;

/** Which advertisements are peers to report: not ourselves, same wire protocol, with a peer id. */
final class AdvertFilter {

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
        if (advert.protocolVersion() != self.protocolVersion()) {
            return Verdict.OTHER_PROTOCOL;
        }
        return Verdict.ACCEPT;
    }
}
