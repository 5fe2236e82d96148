package io.lanspread.bridge.shell.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.lanspread.api.control.DownloadConflictException;
import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.PeerControl;
import io.lanspread.api.download.DownloadManager;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerRequestException;

/**
 * The {@code lanspread:} Gogo commands (the same in Karaf's shell): thin calls into the control service
 * that return values printing as readable text. A command that cannot do what it was asked answers a
 * sentence saying why, never an exception.
 *
 * <p>The calls run on a thread of this component, not on the shell's: Gogo sends what a command's thread
 * (and every thread started from it while the command runs) writes to {@code System.err} to the terminal,
 * so log lines of the work a command sets off (a download starting) would land between the prompts.
 */
@Component(name = LanspreadCommands.NAME, service = LanspreadCommands.class, immediate = true, property = {
        "osgi.command.scope=lanspread",
        "osgi.command.function=status",
        "osgi.command.function=peers",
        "osgi.command.function=games",
        "osgi.command.function=game",
        "osgi.command.function=download",
        "osgi.command.function=downloads",
        "osgi.command.function=cancel",
        "osgi.command.function=planners" })
public class LanspreadCommands {

    static final String NAME = "io.lanspread.bridge.shell.commands";
    static final int GAME_WAIT_SECONDS = 15;
    /** Longer than any call waits for peers; a bound so that a shell never hangs on a stopping component. */
    private static final int CALL_WAIT_SECONDS = 60;
    private static final String PLANNER_TARGET = "planner.target";

    private final PeerControl control;
    private final Clock clock;
    private final ThreadPoolExecutor worker;

    /** The planner services' properties (name, ranking), for {@code planners}. */
    @Reference(service = DownloadPlanner.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    volatile List<Map<String, Object>> planners = List.of();

    /** The download manager's properties: its planner.target says which planner it takes. */
    @Reference(service = DownloadManager.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    volatile Map<String, Object> downloadManager;

    @Activate
    public LanspreadCommands(@Reference(name = "control") PeerControl control) {
        this(control, Clock.systemUTC());
    }

    LanspreadCommands(PeerControl control, Clock clock) {
        this.control = control;
        this.clock = clock;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(r, "lanspread-shell"));
        worker.prestartAllCoreThreads(); // made here, not later from a command's thread (see above)
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    @Descriptor("this peer: id, name, QUIC port, games folder, bytes served, peers online, downloads running")
    public StatusView status() {
        return onWorker(this::statusNow);
    }

    private StatusView statusNow() {
        int running = (int) control.downloads().stream().filter(d -> !d.state().ended()).count();
        return new StatusView(control.status(), control.peers().size(), running);
    }

    @Descriptor("the peers this one knows: name, address, game count, when last heard from, peer id")
    public PeerTable peers() {
        return onWorker(() -> new PeerTable(control.peers(), clock.instant()));
    }

    @Descriptor("every game here and on the peers: id, name, newest version, size, peers that have it, installed")
    public GameTable games() {
        return onWorker(() -> new GameTable(control.games(), null));
    }

    @Descriptor("the games whose id or name contains the filter (any case)")
    public GameTable games(@Descriptor("part of a game's id or name") String filter) {
        return onWorker(() -> new GameTable(control.games(), filter));
    }

    @Descriptor("one game: version, size, installed or not, the peers that have it, its files")
    public Object game(@Descriptor("the game's id (see lanspread:games)") String gameId) {
        return onWorker(() -> gameNow(gameId));
    }

    private Object gameNow(String gameId) {
        GameDetails details;
        try {
            details = control.game(gameId).toCompletableFuture().get(GAME_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return gameFailure(gameId, e.getCause());
        } catch (TimeoutException e) {
            return "No peer that has " + gameId + " answered within " + GAME_WAIT_SECONDS + " s.";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while asking the peers for " + gameId + ".";
        } catch (RuntimeException e) {
            return gameFailure(gameId, e);
        }
        List<String> holders = details.listing().peerIds().stream().map(this::peerName).toList();
        return new GameView(details, holders);
    }

    @Descriptor("downloads the newest version of a game from every peer that has it (or updates it)")
    public Object download(@Descriptor("the game's id (see lanspread:games)") String gameId) {
        return onWorker(() -> downloadNow(gameId));
    }

    private Object downloadNow(String gameId) {
        try {
            DownloadStatus started = control.download(gameId).toCompletableFuture().join();
            return new DownloadStarted(started);
        } catch (GameNotFoundException e) {
            return unknownGame(gameId);
        } catch (DownloadConflictException | IllegalArgumentException e) {
            return Units.sentence(e.getMessage());
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause instanceof GameNotFoundException ? unknownGame(gameId)
                    : "The download of " + gameId + " could not start: " + Units.sentence(cause.getMessage());
        }
    }

    @Descriptor("every download of this session: state, share done, size, speed, time left, active/usable peers")
    public DownloadTable downloads() {
        return onWorker(() -> new DownloadTable(control.downloads()));
    }

    @Descriptor("cancels a download that has not ended; what it wrote is deleted")
    public String cancel(@Descriptor("the download's id, or the id of the game it downloads") String id) {
        return onWorker(() -> cancelNow(id));
    }

    private String cancelNow(String id) {
        List<DownloadStatus> all = control.downloads();
        Optional<DownloadStatus> byId = all.stream().filter(d -> d.id().equals(id)).findFirst();
        Optional<DownloadStatus> target = byId.isPresent() ? byId
                : all.stream().filter(d -> d.gameId().equals(id) && !d.state().ended()).findFirst();
        if (target.isEmpty()) {
            return "No download " + id + " (lanspread:downloads lists them).";
        }
        DownloadStatus d = target.get();
        if (d.state().ended()) {
            return "Download " + d.id() + " of " + d.gameId() + " has already ended (" + d.state().name() + ").";
        }
        return control.cancel(d.id())
                ? "Download " + d.id() + " of " + d.gameId() + " cancelled; what it wrote is deleted."
                : "Download " + d.id() + " of " + d.gameId() + " ended before it could be cancelled.";
    }

    @Descriptor("the download planner services, by ranking, and the one downloads use")
    public PlannerTable planners() {
        Map<String, Object> manager = downloadManager;
        String target = manager == null ? null : (String) manager.get(PLANNER_TARGET);
        Filter filter = filter(target);
        List<Map<String, Object>> services = planners;
        Map<String, Object> winner = services.stream()
                .filter(p -> filter == null || filter.matches(p))
                .max((a, b) -> ranking(a) != ranking(b) ? Integer.compare(ranking(a), ranking(b))
                        : Long.compare(serviceId(b), serviceId(a))) // equal ranking: the older service
                .orElse(null);
        List<PlannerTable.Planner> rows = services.stream()
                .map(p -> new PlannerTable.Planner(String.valueOf(p.get(DownloadPlanner.NAME_PROPERTY)), ranking(p),
                        p == winner))
                .toList();
        return new PlannerTable(rows, target);
    }

    /** Runs {@code work} on this component's thread and waits for it; its exceptions are rethrown. */
    private <T> T onWorker(Callable<T> work) {
        Future<T> result = worker.submit(work);
        try {
            return result.get(CALL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new IllegalStateException("lanspread did not answer within " + CALL_WAIT_SECONDS + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private String peerName(String peerId) {
        return control.peers().stream().filter(p -> p.peerId().equals(peerId)).map(PeerInfo::name).findFirst()
                .orElse(peerId);
    }

    private static String gameFailure(String gameId, Throwable failure) {
        if (failure instanceof GameNotFoundException) {
            return unknownGame(gameId);
        }
        if (failure instanceof PeerRequestException) {
            return "No peer that has " + gameId + " could list its files: " + Units.sentence(failure.getMessage());
        }
        return "The files of " + gameId + " could not be listed: " + Units.sentence(failure.getMessage());
    }

    private static String unknownGame(String gameId) {
        return "No game " + gameId + " here or on any peer found (lanspread:games lists them).";
    }

    private static Filter filter(String target) {
        if (target == null || target.isBlank()) {
            return null;
        }
        try {
            return FrameworkUtil.createFilter(target);
        } catch (InvalidSyntaxException e) {
            return null;
        }
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static long serviceId(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
    }
}
