package io.lanspread.download.internal.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.peer.PeerDirectory;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.download.internal.notify.ListenerNotifier;
import io.lanspread.download.internal.store.StoreFactory;
import io.lanspread.download.internal.verify.ChunkVerifier;

/**
 * What every download of one manager shares: its collaborators and the manager's threads.
 *
 * @param workers  blocking disk work and hashing (never the network threads)
 * @param control  runs each download's serial executor: bookkeeping only, never blocks
 * @param timer    waiting timeouts and the progress tick; its tasks only hand work to a serial executor
 * @param planner  the planner service to use now, or null (the built-in planner then plans)
 * @param reservations the disk space running downloads still need
 */
public record EngineServices(PeerClient client, PeerDirectory directory, LocalLibrary library, StoreFactory stores,
        ChunkVerifier verifier, ListenerNotifier notifier, Executor workers, Executor control,
        ScheduledExecutorService timer, Supplier<DownloadPlanner> planner, DownloadPlanner builtinPlanner,
        LongSupplier nanoClock, DiskReservations reservations) {
}
