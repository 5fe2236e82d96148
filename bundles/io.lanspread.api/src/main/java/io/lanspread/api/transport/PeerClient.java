package io.lanspread.api.transport;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;

/**
 * Requests to a remote peer. Every call is asynchronous; failures complete the stage with a
 * {@link PeerRequestException}. Stages never complete on a thread that must not block, so callers may
 * chain blocking work. One connection per remote address is kept and reused.
 */
@ProviderType
public interface PeerClient {

    CompletionStage<PeerHello> ping(InetSocketAddress peer);

    /**
     * A ping that also introduces this peer: the remote peer learns the port this peer listens on and its
     * library revision, so it can add this peer without waiting for its own discovery.
     */
    CompletionStage<PeerHello> hello(InetSocketAddress peer, int listenPort, long libraryRevision);

    /** Tells a peer that this peer's library changed, so it fetches the game list again at once. */
    CompletionStage<Void> libraryChanged(InetSocketAddress peer, long libraryRevision);

    /** Tells a peer that this peer is shutting down, so it drops it at once. */
    CompletionStage<Void> goodbye(InetSocketAddress peer);

    /**
     * Forgets any connection kept to {@code peer}: the peer left, and a new peer that takes over its
     * address later must get a fresh handshake rather than a connection that nobody answers.
     */
    void disconnect(InetSocketAddress peer);

    CompletionStage<List<Game>> listGames(InetSocketAddress peer);

    /** The game's whole file tree. */
    CompletionStage<List<GameFile>> getGame(InetSocketAddress peer, String gameId);

    /**
     * The game's manifest as the peer hashed it (protocol 2). Fails with {@code PROTOCOL} when the peer
     * speaks only protocol 1, and with {@code GAME_NOT_FOUND} when it does not list the game.
     */
    CompletionStage<GameManifest> manifest(InetSocketAddress peer, String gameId);

    /**
     * {@code length} bytes of a file from {@code offset}; the range must lie inside the file. A protocol 2
     * peer serves from its manifest and refuses with {@code FILE_CHANGED} when the file changed since it
     * was hashed; the bytes then carry no hash of the sender ({@link ChunkData#sha256()} is null) and are
     * verified by the caller against the manifest it chose.
     */
    CompletionStage<ChunkData> getChunk(InetSocketAddress peer, String gameId, String path, long offset, int length);

    /**
     * Several chunks of a game in one go: a protocol 3 peer sends them on one stream in the order asked
     * (several streams when there are many), an older peer gets one request per range. There is one stage per
     * range, in the same order, each completing as soon as its bytes have arrived, so the caller can verify and
     * write a chunk while the next ones are still coming. A range the peer refuses (for example with
     * {@code FILE_CHANGED}) fails only its own stage; a lost stream or connection fails the stages not yet
     * completed. A stage that completes normally hands its {@link ReceivedChunk} over to the caller, who must
     * release it.
     */
    List<CompletionStage<ReceivedChunk>> getChunks(InetSocketAddress peer, String gameId, List<ChunkRange> ranges);

    /**
     * As {@link #getChunks(InetSocketAddress, String, List)}, for exactly {@code version} of the game: a protocol 4
     * peer serves them from its library when it lists that version, else from its partial copy of it (a download
     * still running there), and refuses a chunk it does not hold verified with {@code CHUNK_NOT_HELD}. An older
     * peer is asked without the version.
     */
    default List<CompletionStage<ReceivedChunk>> getChunks(InetSocketAddress peer, String gameId, String version,
            List<ChunkRange> ranges) {
        return getChunks(peer, gameId, ranges);
    }

    /**
     * Which chunks of {@code version} the peer holds, for the manifest whose {@link GameManifest#contentHash()} is
     * {@code contentHash} (protocol 4). {@code sinceRevision} is the revision of the last answer (0 for none): an
     * unchanged map comes back without bits. Fails with {@code GAME_NOT_FOUND} when the peer has no copy of that
     * content, with {@code PROTOCOL} when it speaks an older protocol.
     */
    default CompletionStage<HaveMap> have(InetSocketAddress peer, String gameId, String version, byte[] contentHash,
            long sinceRevision) {
        return java.util.concurrent.CompletableFuture.failedFuture(new PeerRequestException(
                PeerRequestException.Reason.PROTOCOL, "this client cannot ask for have-maps"));
    }

    /** A whole file, written to {@code target}; completes with the number of bytes written. */
    CompletionStage<Long> getFile(InetSocketAddress peer, String gameId, String path, Path target);
}
