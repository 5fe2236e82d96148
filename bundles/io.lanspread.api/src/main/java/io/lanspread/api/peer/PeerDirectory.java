package io.lanspread.api.peer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.lanspread.api.game.Game;

/**
 * PeerGameDB: every known remote peer, its games, and the newest version of each title. Peers are keyed
 * by peer id. Thread-safe.
 */
@ProviderType
public interface PeerDirectory {

    /** Adds a peer or updates its name and address; marks it seen now. Returns the stored view. */
    PeerInfo upsert(String peerId, String name, InetSocketAddress address);

    /** Marks a known peer seen now; false when the peer is not known. */
    boolean touch(String peerId);

    /** Replaces a known peer's game list; false when the peer is not known. */
    boolean updateGames(String peerId, List<Game> games);

    Optional<PeerInfo> remove(String peerId);

    /** All peers, sorted by name then id. */
    List<PeerInfo> peers();

    Optional<PeerInfo> peer(String peerId);

    /** Every title any peer has, at its newest version, sorted by id. */
    List<RemoteGame> games();

    /** The newest version of a title and the peers that have that version. */
    Optional<RemoteGame> game(String gameId);

    /** The peers that have exactly this version of a title. */
    List<PeerInfo> peersWithGame(String gameId, String version);
}
