package io.lanspread.bridge.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerRequestException;

class LanspreadCommandsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T02:00:00Z");
    private static final Game SPACE = new Game("space-race", "Space Race", "1.2.0", 30L << 20);
    private static final Game CHESS = new Game("chess", "Night Chess", "2.0", 1536);

    private FakeControl control;
    private LanspreadCommands commands;

    @BeforeEach
    void setUp() {
        control = new FakeControl();
        commands = new LanspreadCommands(control, Clock.fixed(NOW, ZoneOffset.UTC));
        control.peers.add(new PeerInfo("aaaa1111", "seeder", new InetSocketAddress("127.0.0.1", 40001),
                NOW.minusSeconds(4), List.of(SPACE)));
        control.games.add(new GameListing(CHESS, true, List.of()));
        control.games.add(new GameListing(SPACE, false, List.of("aaaa1111")));
    }

    @AfterEach
    void tearDown() {
        commands.deactivate();
    }

    @Test
    void theCallsRunOnTheComponentsOwnThread() {
        Thread[] seen = new Thread[1];
        FakeControl spying = new FakeControl() {
            @Override
            public List<PeerInfo> peers() {
                seen[0] = Thread.currentThread();
                return super.peers();
            }
        };
        LanspreadCommands own = new LanspreadCommands(spying, Clock.fixed(NOW, ZoneOffset.UTC));
        try {
            own.peers();
        } finally {
            own.deactivate();
        }
        assertThat(seen[0]).isNotSameAs(Thread.currentThread());
        assertThat(seen[0].getName()).isEqualTo("lanspread-shell");
    }

    @Test
    void statusNamesThePeerItsPortsAndFolder() {
        String text = commands.status().toString();
        assertThat(text).contains("me0000", "here", "42420", "/srv/games", "3.00 MiB", "1 online", "0 running");
    }

    @Test
    void peersAreListedByNameWithAddressGamesAndLastSeen() {
        String text = commands.peers().toString();
        assertThat(text.lines().toList()).hasSize(2);
        assertThat(text.lines().findFirst().orElseThrow()).startsWith("NAME").contains("ADDRESS", "GAMES", "SEEN");
        assertThat(text).contains("seeder", "127.0.0.1:40001", "4s ago", "aaaa1111");
    }

    @Test
    void withoutPeersTheAnswerSaysHowToFindOne() {
        control.peers.clear();
        assertThat(commands.peers().toString()).contains("No peer found").contains("--peer");
    }

    @Test
    void gamesListEveryGameAndTheFilterNarrowsThemByIdOrName() {
        String all = commands.games().toString();
        assertThat(all).contains("space-race", "Space Race", "1.2.0", "30.0 MiB", "chess", "1.50 KiB");
        assertThat(all.lines().filter(l -> l.startsWith("chess")).findFirst().orElseThrow()).endsWith("yes");
        assertThat(all.lines().filter(l -> l.startsWith("space-race")).findFirst().orElseThrow()).endsWith("no");

        assertThat(commands.games("NIGHT").games()).extracting(g -> g.game().id()).containsExactly("chess");
        assertThat(commands.games("race").games()).extracting(g -> g.game().id()).containsExactly("space-race");
        assertThat(commands.games("zzz").toString()).isEqualTo("No game matches 'zzz'.");
    }

    @Test
    void aGameShowsWhoHasItAndItsFiles() {
        control.details.put("space-race", CompletableFuture.completedFuture(new GameDetails(control.games.get(1),
                List.of(new GameFile("bin", 0, true), new GameFile("bin/game.exe", 10L << 20, false),
                        new GameFile("version.ini", 14, false)))));
        Object answer = commands.game("space-race");
        assertThat(answer).isInstanceOf(GameView.class);
        String text = answer.toString();
        assertThat(text).contains("Space Race", "1.2.0", "installed  no", "peers      seeder", "files      2",
                "bin/", "bin/game.exe", "10.0 MiB", "version.ini", "14 B");
    }

    @Test
    void anUnknownGameIsASentence() {
        assertThat(commands.game("nope")).isEqualTo("No game nope here or on any peer found (lanspread:games lists them).");
        assertThat(commands.download("nope")).isEqualTo(commands.game("nope"));
    }

    @Test
    void aPeerThatFailsToListFilesIsASentenceNotAnException() {
        control.details.put("space-race", CompletableFuture.failedFuture(
                new PeerRequestException(PeerRequestException.Reason.values()[0], "connection refused")));
        assertThat((String) commands.game("space-race")).startsWith("No peer that has space-race could list its files: ")
                .endsWith(".");
    }

    @Test
    void downloadStartsAndAConflictIsASentence() {
        Object started = commands.download("space-race");
        assertThat(started).isInstanceOf(DownloadStarted.class);
        assertThat(started.toString()).contains("dl-1", "space-race", "started", "lanspread:cancel dl-1");

        assertThat(commands.download("space-race")).isEqualTo("Game space-race is already being downloaded.");
        assertThat(commands.download("chess")).isEqualTo("Game chess 2.0 is already here.");
    }

    @Test
    void downloadsShowProgressSpeedEtaAndErrors() {
        control.downloads.add(new DownloadStatus("d1", "space-race", "1.2.0", DownloadState.RUNNING, 10L << 20, 30L << 20,
                10L << 20, 0, 5L << 20, 2, 3, List.of("peer x left out: its content differs"), null));
        control.downloads.add(new DownloadStatus("d2", "chess", "2.0", DownloadState.FAILED, 0, 1536, 0, 0, 0, 0, 0,
                List.of(), "the disk is full"));
        String text = commands.downloads().toString();
        String running = text.lines().filter(l -> l.startsWith("d1")).findFirst().orElseThrow();
        assertThat(running).contains("RUNNING", "33.3 %", "30.0 MiB", "5.00 MiB/s", "4s", "2/3");
        assertThat(text).contains("    Peer x left out: its content differs.", "FAILED", "    The disk is full.");
    }

    @Test
    void noDownloadsSaysHowToStartOne() {
        assertThat(commands.downloads().toString()).contains("No downloads").contains("lanspread:download");
    }

    @Test
    void cancelTakesADownloadIdOrAGameIdAndExplainsWhatItCannotCancel() {
        commands.download("space-race");
        assertThat(commands.cancel("space-race")).isEqualTo("Download dl-1 of space-race cancelled; what it wrote is deleted.");
        assertThat(control.cancelled).containsExactly("dl-1");
        assertThat(commands.cancel("dl-1")).isEqualTo("Download dl-1 of space-race has already ended (CANCELLED).");
        assertThat(commands.cancel("no-such")).isEqualTo("No download no-such (lanspread:downloads lists them).");
    }

    @Test
    void plannersAreListedByRankingAndTheOneInUseIsMarked() {
        commands.planners = List.of(planner("even", 0, 7L), planner("adaptive", 10, 5L));
        PlannerTable table = commands.planners();
        assertThat(table.planners()).extracting(PlannerTable.Planner::name).containsExactly("adaptive", "even");
        assertThat(table.planners()).extracting(PlannerTable.Planner::inUse).containsExactly(true, false);
        assertThat(table.toString()).contains("adaptive  10       yes", "even      0        no");
        commands.downloadManager = Map.of("planner.target", "(" + DownloadPlanner.NAME_PROPERTY + "=*)");
        assertThat(commands.planners().toString()).as("the default target").doesNotContain("planner.target");
    }

    @Test
    void aPinnedPlannerIsTheOneInUse() {
        commands.planners = List.of(planner("even", 0, 7L), planner("adaptive", 10, 5L));
        commands.downloadManager = Map.of("planner.target", "(" + DownloadPlanner.NAME_PROPERTY + "=even)");
        PlannerTable table = commands.planners();
        assertThat(table.planners()).filteredOn(PlannerTable.Planner::inUse).extracting(PlannerTable.Planner::name)
                .containsExactly("even");
        assertThat(table.toString()).contains("planner.target (lanspread.planner.name=even)");
    }

    @Test
    void withoutPlannersTheBuiltInOneIsNamed() {
        assertThat(commands.planners().toString()).contains("built-in adaptive planner");
    }

    private static Map<String, Object> planner(String name, int ranking, long serviceId) {
        return Map.of(DownloadPlanner.NAME_PROPERTY, name, "service.ranking", ranking, "service.id", serviceId);
    }
}
