package io.lanspread.api.transport;

/**
 * How this peer's server shares its uplink: file requests (chunk batches, whole files) served at once, per
 * remote peer and in total, and those waiting their turn (round robin across peers; they never fail).
 *
 * @param maxRequestsPerPeer requests of one remote peer served at once at most; 0 when unknown
 * @param maxRequests requests of all remote peers served at once at most; 0 when unknown
 * @param serving requests being served now
 * @param waiting requests waiting for their turn now
 */
public record UplinkStatus(int maxRequestsPerPeer, int maxRequests, int serving, int waiting) {

    /** No figures: a server that does not tell. */
    public static final UplinkStatus UNKNOWN = new UplinkStatus(0, 0, 0, 0);
}
