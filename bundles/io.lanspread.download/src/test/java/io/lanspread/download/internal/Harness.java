package io.lanspread.download.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.download.internal.store.FileStoreFactory;
import io.lanspread.download.internal.store.StoreFactory;

/**
 * A download manager over fakes: peers in memory, a hand-filled directory, a store in memory. Closing it checks
 * that no received chunk leaked.
 */
final class Harness implements AutoCloseable {
    final FakePeers peers = new FakePeers();
    final FakeDirectory directory = new FakeDirectory();
    final MemoryStores stores = new MemoryStores();
    final TestLibrary library;
    /** The real store on disk when set; else {@link #stores}. */
    private final Path stateDir;
    final RecordingListener listener = new RecordingListener();
    private final Map<String, Object> config = new HashMap<>();
    DownloadManagerImpl manager;

    Harness() {
        this.library = new TestLibrary();
        this.stateDir = null;
    }

    /** With the real store: games in {@code games}, journals in {@code state}. */
    Harness(Path games, Path state) {
        this.library = new TestLibrary(games);
        this.stateDir = state;
    }

    Harness with(String property, Object value) {
        config.put(property, value);
        return this;
    }

    Harness start() {
        config.putIfAbsent("progress.interval.millis", 50L);
        BiFunction<Path, LocalLibrary, StoreFactory> factory = stateDir == null ? (dir, lib) -> stores
                : FileStoreFactory::new;
        if (stateDir != null) {
            config.put("state.dir", stateDir.toString());
        }
        manager = new DownloadManagerImpl(library, peers, directory,
                Configs.of(DownloadManagerImpl.Config.class, config), factory);
        manager.addListener(listener);
        return this;
    }

    /** Config Admin's view of a changed setting while the manager runs: {@code @Modified} with the new configuration. */
    void reconfigure(String property, Object value) {
        config.put(property, value);
        manager.modified(Configs.of(DownloadManagerImpl.Config.class, new HashMap<>(config)));
    }

    /**
     * The peer's server moved to another port (it was reconfigured) and the orchestrator found it there: the old
     * address no longer answers and the directory has the new one. No event: the orchestrator sends none for a move.
     */
    void move(FakePeers.Peer peer) {
        peers.move(peer);
        directory.upsert(peer.id, peer.id, peer.address);
    }

    Harness planner(DownloadPlanner planner) {
        manager.planner = planner;
        return this;
    }

    /** A peer serving {@code game}, known to the directory (no event: the download finds it when it starts). */
    FakePeers.Peer peer(String id, String host, FakeGame game) {
        FakePeers.Peer peer = peers.add(id, host, game);
        directory.put(id, peer.address, List.of(game.game()));
        return peer;
    }

    /**
     * A peer still downloading {@code game} (swarming): it lists no game, answers have-maps with {@code held}
     * and serves only those chunks.
     */
    FakePeers.Peer partialPeer(String id, String host, FakeGame game, java.util.BitSet held) {
        FakePeers.Peer peer = peers.add(id, host, game);
        peer.partial = held;
        directory.put(id, peer.address, List.of());
        return peer;
    }

    /** The orchestrator's view of a peer leaving. */
    void lose(String peerId) {
        directory.remove(peerId);
        manager.onEvent(new LanspreadEvent.PeerLost(peerId, peerId));
    }

    /** The orchestrator's view of a peer (coming back) with its games. */
    void discover(FakePeers.Peer peer) {
        PeerInfo info = directory.put(peer.id, peer.address, List.of(peer.game.game()));
        manager.onEvent(new LanspreadEvent.PeerDiscovered(info));
    }

    DownloadStatus status(String id) {
        return manager.download(id).orElseThrow();
    }

    DownloadStatus awaitState(String id, DownloadState state) {
        await(() -> manager.download(id).map(s -> s.state() == state).orElse(false),
                () -> "state " + state + ", was " + manager.download(id));
        return status(id);
    }

    DownloadStatus awaitEnd(String id) {
        await(() -> manager.download(id).map(s -> s.state().ended()).orElse(false), () -> "end of " + id);
        // the end news is delivered on the notifier after the state changes
        await(() -> listener.count("finished", id) + listener.count("failed", id) + listener.count("cancelled", id) > 0,
                () -> "end news of " + id);
        return status(id);
    }

    MemoryStores.MemoryStore store(String id) {
        return stores.all.stream().filter(s -> s.id.equals(id)).reduce((a, b) -> b).orElseThrow();
    }

    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            LockSupport.parkNanos(5_000_000L); // the polling interval
        }
    }

    static void assertFinishedWith(MemoryStores.MemoryStore store, FakeGame expected) {
        assertThat(store.installedNow).as("installed").isTrue();
        assertThat(store.differences(expected)).as("files that differ").isEmpty();
    }

    /**
     * Checks that every received chunk was released exactly once and not used after: while the manager runs
     * when every download ended (before the stop releases what is left), and after the stop in any case.
     */
    @Override
    public void close() {
        if (manager != null) {
            try {
                if (manager.downloads().stream().allMatch(s -> s.state().ended())) {
                    await(() -> peers.unreleased() == 0, () -> peers.unreleased()
                            + " received chunks to be released by the running manager");
                }
            } finally {
                manager.deactivate();
            }
        }
        peers.close();
        await(() -> peers.unreleased() == 0, () -> peers.unreleased() + " received chunks to be released");
        assertThat(peers.releasedTwice.get()).as("chunks released twice").isZero();
        assertThat(peers.usedAfterRelease.get()).as("chunks used after release").isZero();
    }
}
