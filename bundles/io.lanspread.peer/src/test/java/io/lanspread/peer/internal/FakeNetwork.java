package io.lanspread.peer.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;

/** An in-memory PeerClient: remote peers are objects reachable at fake addresses. */
final class FakeNetwork implements PeerClient {

    /** One remote peer; change its fields to change what it answers. */
    static final class Remote {
        final String peerId;
        volatile String name;
        volatile int protocolVersion = 1;
        volatile long revision = 1;
        volatile List<Game> games;
        final Map<String, List<GameFile>> files = new ConcurrentHashMap<>();
        volatile boolean up = true;
        volatile boolean failGetGame;
        /** When set, pings are answered only when the test completes this future. */
        volatile CompletableFuture<Void> holdPings;

        Remote(String peerId, String name, List<Game> games) {
            this.peerId = peerId;
            this.name = name;
            this.games = games;
        }
    }

    private final Map<InetSocketAddress, Remote> remotes = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> pings = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> listings = new ConcurrentHashMap<>();

    Remote add(InetSocketAddress address, Remote remote) {
        remotes.put(address, remote);
        return remote;
    }

    int pings(InetSocketAddress address) {
        return pings.computeIfAbsent(address, a -> new AtomicInteger()).get();
    }

    int listings(InetSocketAddress address) {
        return listings.computeIfAbsent(address, a -> new AtomicInteger()).get();
    }

    @Override
    public CompletionStage<PeerHello> ping(InetSocketAddress peer) {
        pings.computeIfAbsent(peer, a -> new AtomicInteger()).incrementAndGet();
        Remote r = remotes.get(peer);
        if (r != null && r.holdPings != null) {
            return r.holdPings.thenCompose(v -> answer(peer, r, () -> hello(r)));
        }
        return answer(peer, r, () -> hello(r));
    }

    @Override
    public CompletionStage<List<Game>> listGames(InetSocketAddress peer) {
        listings.computeIfAbsent(peer, a -> new AtomicInteger()).incrementAndGet();
        Remote r = remotes.get(peer);
        return answer(peer, r, () -> r.games);
    }

    @Override
    public CompletionStage<List<GameFile>> getGame(InetSocketAddress peer, String gameId) {
        Remote r = remotes.get(peer);
        return answer(peer, r, () -> {
            if (r.failGetGame) {
                throw new PeerRequestException(PeerRequestException.Reason.SERVER_ERROR, "disk on fire");
            }
            List<GameFile> f = r.files.get(gameId);
            if (f == null) {
                throw new PeerRequestException(PeerRequestException.Reason.GAME_NOT_FOUND, gameId);
            }
            return f;
        });
    }

    @Override
    public CompletionStage<ChunkData> getChunk(InetSocketAddress peer, String gameId, String path, long offset,
            int length) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<Long> getFile(InetSocketAddress peer, String gameId, String path, Path target) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    private static PeerHello hello(Remote r) {
        return new PeerHello(r.peerId, r.name, r.protocolVersion, r.revision);
    }

    private static <T> CompletableFuture<T> answer(InetSocketAddress peer, Remote r, java.util.function.Supplier<T> s) {
        if (r == null || !r.up) {
            return CompletableFuture.failedFuture(
                    new PeerRequestException(PeerRequestException.Reason.UNREACHABLE, "no peer at " + peer));
        }
        try {
            return CompletableFuture.completedFuture(s.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
