package io.lanspread.api.peer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import io.lanspread.api.game.Game;

/**
 * A remote peer as this peer knows it.
 *
 * @param peerId   the peer's id (never its address: QUIC source ports are ephemeral)
 * @param name     the peer's display name
 * @param address  the address its QUIC server listens on
 * @param lastSeen when it last answered
 * @param games    its complete games, as last fetched
 */
public record PeerInfo(String peerId, String name, InetSocketAddress address, Instant lastSeen, List<Game> games) {
    public PeerInfo {
        games = List.copyOf(games);
    }
}
