package io.lanspread.api.download;

/**
 * How busy and how good a source has been so far in one download.
 *
 * @param source        the peer
 * @param inFlightBytes bytes requested from it and not yet answered
 * @param doneBytes     bytes it delivered and that passed verification
 * @param failures      chunks it failed
 */
public record SourceLoad(PeerSource source, long inFlightBytes, long doneBytes, int failures) {
}
