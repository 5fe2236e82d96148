package io.lanspread.peer.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.ReceivedChunk;
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
        /** When set, game lists are answered (as they were when asked) only when the test completes this. */
        volatile CompletableFuture<Void> holdListings;
        /** When set, goodbyes are answered only when the test completes this future. */
        volatile CompletableFuture<Void> holdGoodbyes;

        Remote(String peerId, String name, List<Game> games) {
            this.peerId = peerId;
            this.name = name;
            this.games = games;
        }
    }

    private final Map<InetSocketAddress, Remote> remotes = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> pings = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> listings = new ConcurrentHashMap<>();
    /** Every hello: where, and what we told about ourselves. */
    final List<Sent> hellos = new CopyOnWriteArrayList<>();
    final List<Sent> libraryNotices = new CopyOnWriteArrayList<>();
    final List<Sent> goodbyes = new CopyOnWriteArrayList<>();
    final List<InetSocketAddress> disconnected = new CopyOnWriteArrayList<>();
    /** The thread each request was made on. */
    final List<String> callerThreads = new CopyOnWriteArrayList<>();

    /** A notice sent to {@code address}; {@code port} only for hellos, {@code revision} -1 for goodbyes. */
    record Sent(InetSocketAddress address, int port, long revision, long nanoTime) {
        Sent(InetSocketAddress address, int port, long revision) {
            this(address, port, revision, System.nanoTime());
        }
    }

    Remote add(InetSocketAddress address, Remote remote) {
        remotes.put(address, remote);
        return remote;
    }

    /** Pings and hellos alike. */
    int pings(InetSocketAddress address) {
        return pings.computeIfAbsent(address, a -> new AtomicInteger()).get();
    }

    int hellos(InetSocketAddress address) {
        return (int) hellos.stream().filter(h -> h.address().equals(address)).count();
    }

    int listings(InetSocketAddress address) {
        return listings.computeIfAbsent(address, a -> new AtomicInteger()).get();
    }

    @Override
    public CompletionStage<PeerHello> ping(InetSocketAddress peer) {
        callerThreads.add(Thread.currentThread().getName());
        pings.computeIfAbsent(peer, a -> new AtomicInteger()).incrementAndGet();
        Remote r = remotes.get(peer);
        if (r != null && r.holdPings != null) {
            return r.holdPings.thenCompose(v -> answer(peer, r, () -> hello(r)));
        }
        return answer(peer, r, () -> hello(r));
    }

    @Override
    public CompletionStage<PeerHello> hello(InetSocketAddress peer, int listenPort, long libraryRevision) {
        hellos.add(new Sent(peer, listenPort, libraryRevision));
        return ping(peer);
    }

    @Override
    public CompletionStage<Void> libraryChanged(InetSocketAddress peer, long libraryRevision) {
        callerThreads.add(Thread.currentThread().getName());
        libraryNotices.add(new Sent(peer, 0, libraryRevision));
        return answer(peer, remotes.get(peer), () -> null);
    }

    @Override
    public CompletionStage<Void> goodbye(InetSocketAddress peer) {
        goodbyes.add(new Sent(peer, 0, -1));
        Remote r = remotes.get(peer);
        if (r != null && r.holdGoodbyes != null) {
            return r.holdGoodbyes;
        }
        return answer(peer, r, () -> null);
    }

    @Override
    public void disconnect(InetSocketAddress peer) {
        disconnected.add(peer);
    }

    @Override
    public CompletionStage<List<Game>> listGames(InetSocketAddress peer) {
        callerThreads.add(Thread.currentThread().getName());
        listings.computeIfAbsent(peer, a -> new AtomicInteger()).incrementAndGet();
        Remote r = remotes.get(peer);
        if (r != null && r.holdListings != null) {
            List<Game> asked = r.games;
            return r.holdListings.thenCompose(v -> answer(peer, r, () -> asked));
        }
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
    public CompletionStage<GameManifest> manifest(InetSocketAddress peer, String gameId) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("the orchestrator needs no manifest"));
    }

    @Override
    public CompletionStage<ChunkData> getChunk(InetSocketAddress peer, String gameId, String path, long offset,
            int length) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public List<CompletionStage<ReceivedChunk>> getChunks(InetSocketAddress peer, String gameId,
            List<ChunkRange> ranges) {
        return ranges.stream().map(r -> CompletableFuture.<ReceivedChunk>failedFuture(
                new UnsupportedOperationException())).map(f -> (CompletionStage<ReceivedChunk>) f).toList();
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
