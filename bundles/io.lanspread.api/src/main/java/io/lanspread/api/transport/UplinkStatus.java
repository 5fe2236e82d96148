package io.lanspread.api.transport;

/**
 * How this peer's server shares its uplink: the chunk answers it reads at once (each from when its bytes fit
 * the send budget until it is handed to QUIC), per remote peer and in total, and those waiting their turn (round
 * robin across peers; they never fail).
 *
 * @param maxRequestsPerPeer chunk answers for one remote peer read at once at most; 0 when unknown
 * @param maxRequests chunk answers for all remote peers read at once at most; 0 when unknown
 * @param serving chunk answers being read now
 * @param waiting chunk answers waiting for their turn now
 */
public record UplinkStatus(int maxRequestsPerPeer, int maxRequests, int serving, int waiting) {

    /** No figures: a server that does not tell. */
    public static final UplinkStatus UNKNOWN = new UplinkStatus(0, 0, 0, 0);
}
