package io.lanspread.download.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.HaveMap;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.api.transport.ReceivedChunk;
import io.lanspread.download.internal.store.ChunkLayout;

/**
 * An in-memory PeerClient: each fake peer serves a {@link FakeGame}'s bytes, on a fixture thread, as
 * {@link FakeChunk}s over direct (or heap) buffers whose releases are counted. Knobs make a peer slow,
 * failing, hanging, lying (other bytes than its manifest says), protocol-1 only, or report a changed file.
 * Every chunk asked for is logged so that tests count requests per chunk, and every getChunks call so that
 * they see how chunks were batched. The old getChunk fails: the engine must not use it.
 */
final class FakePeers implements PeerClient, AutoCloseable {

    record Call(String peerId, String path, long offset) {
    }

    /** One getChunks call: its peer and how many ranges it asked for. */
    record Batch(String peerId, int size) {
    }

    static final class Peer {
        final String id;
        /** Where it listens; a move ({@link FakePeers#move}) changes it. */
        volatile InetSocketAddress address;
        volatile FakeGame game;
        /** The manifest it hands out; by default the true one of its game. */
        volatile GameManifest manifest;
        volatile boolean protocol1;
        /** Whether its chunks come in direct buffers (as from the QUIC transport) or heap buffers. */
        volatile boolean direct = true;
        volatile boolean failAll;
        /** Hands out its manifest but fails every chunk request. */
        volatile boolean failChunks;
        volatile boolean hang;
        /** Ranges ("path@offset") whose first request is never answered (a stream that went silent). */
        final Set<String> silentOnce = ConcurrentHashMap.newKeySet();
        volatile long delayMillis;
        /** Chunks (by offset within a file) served with wrong bytes under a true manifest. */
        volatile LongPredicate corrupt = offset -> false;
        volatile String corruptPath;
        final Set<String> changedFiles = ConcurrentHashMap.newKeySet();
        /** After this many answers, answers wait for {@link #release}. */
        volatile int pauseAfter = -1;
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
        final AtomicInteger answered = new AtomicInteger();
        /** A partial copy's chunks (a peer still downloading, swarming); null: no have-maps (an older peer). */
        volatile BitSet partial;
        final AtomicInteger haveCalls = new AtomicInteger();
        /** Answers waiting at the gate, with the address each was asked at. */
        final List<Held> held = new CopyOnWriteArrayList<>();

        Peer(String id, InetSocketAddress address, FakeGame game) {
            this.id = id;
            this.address = address;
            this.game = game;
            this.manifest = game.manifest();
        }

        void serve(FakeGame newGame) {
            game = newGame;
            manifest = newGame.manifest();
        }

        void pauseAfter(int answers) {
            gate = new CompletableFuture<>();
            pauseAfter = answers;
        }

        void release() {
            pauseAfter = -1;
            gate.complete(null);
        }

        /**
         * The requests held at an address the peer left fail as its old connection closes (the ones at its
         * current address stay held).
         *
         * @return how many failed
         */
        int failHeldAtOldAddress() {
            int failed = 0;
            for (Held h : held) {
                if (!h.sentTo().equals(address) && h.answer().completeExceptionally(
                        new PeerRequestException(Reason.UNREACHABLE, "the connection to " + h.sentTo() + " closed"))) {
                    failed++;
                }
            }
            return failed;
        }
    }

    record Held(InetSocketAddress sentTo, CompletableFuture<ReceivedChunk> answer) {
    }

    private final ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(4);
    private final Map<InetSocketAddress, Peer> peers = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<Batch> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger handedOut = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger releasedTwice = new AtomicInteger();
    final AtomicInteger usedAfterRelease = new AtomicInteger();

    Peer add(String id, String host, FakeGame game) {
        Peer peer = new Peer(id, new InetSocketAddress(host, 42000 + peers.size()), game);
        peers.put(peer.address, peer);
        return peer;
    }

    /** The peer listens at another port from now on: nothing answers at its old address. */
    void move(Peer peer) {
        InetSocketAddress to = new InetSocketAddress(peer.address.getAddress(), peer.address.getPort() + 1000);
        peers.remove(peer.address);
        peer.address = to;
        peers.put(to, peer);
    }

    long calls(String path, long offset) {
        return calls.stream().filter(c -> c.path().equals(path) && c.offset() == offset).count();
    }

    long calls(String peerId) {
        return calls.stream().filter(c -> c.peerId().equals(peerId)).count();
    }

    /** Chunks handed out and not released yet. */
    int unreleased() {
        return handedOut.get() - released.get();
    }

    @Override
    public CompletionStage<GameManifest> manifest(InetSocketAddress address, String gameId) {
        Peer peer = peers.get(address);
        CompletableFuture<GameManifest> answer = new CompletableFuture<>();
        executor.execute(() -> {
            if (peer == null || peer.failAll) {
                answer.completeExceptionally(new PeerRequestException(Reason.UNREACHABLE, "no peer at " + address));
            } else if (peer.protocol1) {
                answer.completeExceptionally(new PeerRequestException(Reason.PROTOCOL, "protocol 1 only"));
            } else if (!peer.game.id.equals(gameId)) {
                answer.completeExceptionally(new PeerRequestException(Reason.GAME_NOT_FOUND, gameId));
            } else {
                answer.complete(peer.manifest);
            }
        });
        return answer;
    }

    @Override
    public CompletionStage<ChunkData> getChunk(InetSocketAddress address, String gameId, String path, long offset,
            int length) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("downloads use getChunks"));
    }

    /** Each range is served on its own after the peer's delay, as streams of one call may finish in any order. */
    @Override
    public List<CompletionStage<ReceivedChunk>> getChunks(InetSocketAddress address, String gameId,
            List<ChunkRange> ranges) {
        Peer peer = peers.get(address);
        List<CompletionStage<ReceivedChunk>> answers = new ArrayList<>(ranges.size());
        if (peer != null) {
            batches.add(new Batch(peer.id, ranges.size()));
        }
        for (ChunkRange range : ranges) {
            CompletableFuture<ReceivedChunk> answer = new CompletableFuture<>();
            answers.add(answer);
            if (peer == null) {
                answer.completeExceptionally(new PeerRequestException(Reason.UNREACHABLE, "no peer at " + address));
                continue;
            }
            calls.add(new Call(peer.id, range.path(), range.offset()));
            Runnable serve = () -> {
                if (peer.hang || peer.silentOnce.remove(range.path() + "@" + range.offset())) {
                    return;
                }
                int pauseAfter = peer.pauseAfter;
                if (pauseAfter >= 0 && peer.answered.get() >= pauseAfter) {
                    peer.held.add(new Held(address, answer));
                    peer.gate.thenRunAsync(() -> answer(peer, gameId, range, answer), executor);
                    return;
                }
                answer(peer, gameId, range, answer);
            };
            if (peer.delayMillis > 0) {
                executor.schedule(serve, peer.delayMillis, TimeUnit.MILLISECONDS);
            } else {
                executor.execute(serve);
            }
        }
        return answers;
    }

    private void answer(Peer peer, String gameId, ChunkRange range, CompletableFuture<ReceivedChunk> answer) {
        peer.answered.incrementAndGet();
        String path = range.path();
        long offset = range.offset();
        int length = range.length();
        BitSet partial = peer.partial;
        if (partial != null && !partial.get(chunkIndex(peer, path, offset))) {
            answer.completeExceptionally(new PeerRequestException(Reason.CHUNK_NOT_HELD, "not held: " + path + "@" + offset));
            return;
        }
        if (peer.failAll || peer.failChunks) {
            answer.completeExceptionally(new PeerRequestException(Reason.SERVER_ERROR, "fails on purpose"));
            return;
        }
        if (peer.changedFiles.contains(path)) {
            answer.completeExceptionally(new PeerRequestException(Reason.FILE_CHANGED, path + " changed"));
            return;
        }
        byte[] file = peer.game.files.get(path);
        if (!peer.game.id.equals(gameId) || file == null || offset + length > file.length) {
            answer.completeExceptionally(new PeerRequestException(Reason.FILE_NOT_FOUND, path));
            return;
        }
        byte[] bytes = new byte[length];
        System.arraycopy(file, (int) offset, bytes, 0, length);
        if (path.equals(peer.corruptPath) && peer.corrupt.test(offset)) {
            bytes[length / 2] ^= 0x33;
        }
        FakeChunk chunk = new FakeChunk(this, range, bytes, peer.direct);
        if (!answer.complete(chunk)) {
            chunk.release();
        }
    }

    /** A partial peer answers with its chunks; any other answers as a peer of protocol 3 would. */
    @Override
    public CompletionStage<HaveMap> have(InetSocketAddress address, String gameId, String version, byte[] contentHash,
            long sinceRevision) {
        Peer peer = peers.get(address);
        CompletableFuture<HaveMap> answer = new CompletableFuture<>();
        executor.execute(() -> {
            if (peer == null || peer.failAll) {
                answer.completeExceptionally(new PeerRequestException(Reason.UNREACHABLE, "no peer at " + address));
                return;
            }
            peer.haveCalls.incrementAndGet();
            BitSet partial = peer.partial;
            if (partial == null) {
                answer.completeExceptionally(new PeerRequestException(Reason.PROTOCOL, "protocol 3 only"));
            } else if (!peer.game.id.equals(gameId) || !peer.game.version.equals(version)
                    || !java.util.Arrays.equals(peer.manifest.contentHash(), contentHash)) {
                answer.completeExceptionally(new PeerRequestException(Reason.GAME_NOT_FOUND, gameId));
            } else {
                long revision = partial.cardinality();
                answer.complete(new HaveMap(revision, peer.manifest.totalChunks(), false,
                        revision == sinceRevision ? null : partial));
            }
        });
        return answer;
    }

    private static int chunkIndex(Peer peer, String path, long offset) {
        for (io.lanspread.api.download.Chunk chunk : new ChunkLayout(peer.manifest).chunks()) {
            if (chunk.path().equals(path) && chunk.offset() == offset) {
                return chunk.index();
            }
        }
        return -1;
    }

    @Override
    public CompletionStage<PeerHello> ping(InetSocketAddress peer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<PeerHello> hello(InetSocketAddress peer, int listenPort, long libraryRevision) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<Void> libraryChanged(InetSocketAddress peer, long libraryRevision) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<Void> goodbye(InetSocketAddress peer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public void disconnect(InetSocketAddress peer) {
    }

    @Override
    public CompletionStage<List<Game>> listGames(InetSocketAddress peer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<List<GameFile>> getGame(InetSocketAddress peer, String gameId) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<Long> getFile(InetSocketAddress peer, String gameId, String path, Path target) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by downloads"));
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
