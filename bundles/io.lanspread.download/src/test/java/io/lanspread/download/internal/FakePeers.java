package io.lanspread.download.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lanspread.api.download.PeerSource;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.transport.ChunkData;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;

/**
 * An in-process PeerClient: every fake peer serves real files from its own "remote" game directory on a
 * fixture thread, with the real SHA-256. Knobs make a peer fail, corrupt, delay, hang or vanish.
 */
final class FakePeers implements PeerClient, AutoCloseable {

    enum Outcome {
        OK, FAILED, CORRUPT, VANISHED
    }

    record Served(String peerId, String gameId, String path, long offset, Outcome outcome) {
    }

    static final class Peer {
        final String id;
        final InetSocketAddress address;
        final Path gameDirectory;
        volatile boolean failAll;
        volatile boolean corruptAll;
        volatile boolean hang;
        volatile long delayMillis;
        /** After this many good chunks the peer is gone: every later request fails as unreachable. */
        volatile int vanishAfter = -1;
        final AtomicInteger good = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        Peer(String id, InetSocketAddress address, Path gameDirectory) {
            this.id = id;
            this.address = address;
            this.gameDirectory = gameDirectory;
        }

        PeerSource source() {
            return new PeerSource(id, address);
        }
    }

    private final ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(3);
    private final Map<InetSocketAddress, Peer> peers = new ConcurrentHashMap<>();
    final List<Served> log = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger pending = new AtomicInteger();

    Peer add(String id, Path gameDirectory) {
        Peer peer = new Peer(id, new InetSocketAddress("127.0.0.1", 42000 + peers.size()), gameDirectory);
        peers.put(peer.address, peer);
        return peer;
    }

    List<PeerSource> sources() {
        return peers.values().stream().map(Peer::source).sorted((a, b) -> a.peerId().compareTo(b.peerId())).toList();
    }

    List<Served> served(String peerId, Outcome outcome) {
        return log.stream().filter(s -> s.peerId().equals(peerId) && s.outcome() == outcome).toList();
    }

    @Override
    public CompletionStage<ChunkData> getChunk(InetSocketAddress address, String gameId, String path, long offset,
            int length) {
        requests.incrementAndGet();
        CompletableFuture<ChunkData> answer = new CompletableFuture<>();
        Peer peer = peers.get(address);
        if (peer == null) {
            answer.completeExceptionally(new PeerRequestException(Reason.UNREACHABLE, "no peer at " + address));
            return answer;
        }
        int now = peer.inFlight.incrementAndGet();
        peer.maxInFlight.accumulateAndGet(now, Math::max);
        pending.incrementAndGet();
        Runnable serve = () -> {
            try {
                serve(peer, gameId, path, offset, length, answer);
            } finally {
                pending.decrementAndGet();
            }
        };
        if (peer.delayMillis > 0) {
            executor.schedule(serve, peer.delayMillis, TimeUnit.MILLISECONDS);
        } else {
            executor.execute(serve);
        }
        return answer;
    }

    private void serve(Peer peer, String gameId, String path, long offset, int length, CompletableFuture<ChunkData> answer) {
        if (peer.hang) {
            return; // never answers and keeps counting as in flight
        }
        peer.inFlight.decrementAndGet();
        if (peer.vanishAfter >= 0 && peer.good.get() >= peer.vanishAfter) {
            log.add(new Served(peer.id, gameId, path, offset, Outcome.VANISHED));
            answer.completeExceptionally(new PeerRequestException(Reason.UNREACHABLE, peer.id + " is gone"));
            return;
        }
        if (peer.failAll) {
            log.add(new Served(peer.id, gameId, path, offset, Outcome.FAILED));
            answer.completeExceptionally(new PeerRequestException(Reason.SERVER_ERROR, peer.id + " fails on purpose"));
            return;
        }
        ByteBuffer data = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(peer.gameDirectory.resolve(gameId).resolve(path), StandardOpenOption.READ)) {
            while (data.hasRemaining()) {
                if (ch.read(data, offset + data.position()) < 0) {
                    answer.completeExceptionally(new PeerRequestException(Reason.FILE_NOT_FOUND, "range outside " + path));
                    return;
                }
            }
        } catch (IOException e) {
            answer.completeExceptionally(new PeerRequestException(Reason.FILE_NOT_FOUND, path + ": " + e));
            return;
        }
        data.flip();
        String sha256 = Hashes.sha256(data);
        if (peer.corruptAll) {
            data.put(length / 2, (byte) (data.get(length / 2) ^ 0x5a));
            log.add(new Served(peer.id, gameId, path, offset, Outcome.CORRUPT));
        } else {
            peer.good.incrementAndGet();
            log.add(new Served(peer.id, gameId, path, offset, Outcome.OK));
        }
        answer.complete(new ChunkData(path, offset, data.asReadOnlyBuffer(), sha256));
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
        // no connections to forget
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
        return CompletableFuture.failedFuture(new UnsupportedOperationException("whole-file downloads are not used"));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
