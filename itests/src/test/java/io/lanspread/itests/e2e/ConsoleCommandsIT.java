package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.BigGame;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.GameFixture;
import io.lanspread.itests.support.PeerProcess;

/**
 * The {@code lanspread:} commands typed into a real {@code ./lanspread --console} (its stdin), next to a real
 * second peer that holds two games: every command answers readable text or a sentence, a download runs to
 * the end and another is cancelled, the log goes to the state folder instead of the terminal, and
 * {@code exit} ends the process with code 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleCommandsIT {

    private static final String SMALL = "small-game";
    private static final String BIG = "big-game";
    /** A log line of slf4j-simple as the launcher sets it up ({@code 01:39:43.458 [main] INFO ...}). */
    private static final Pattern LOG_LINE = Pattern.compile("(?m)^(g! )?\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[");
    private static final Pattern DOWNLOAD_ID = Pattern.compile("Download (\\S+) of " + BIG + " started");

    private Path work;
    private PeerProcess seeder;
    private PeerProcess console;
    private OutputStream keyboard;
    private int typed;

    @BeforeAll
    void startPeers() throws Exception {
        work = Files.createTempDirectory("lanspread-console");
        Path seederGames = Files.createDirectories(work.resolve("seeder/games"));
        GameFixture.writeSampleGame(seederGames, SMALL, "1.0", 3);
        // big enough that a cancel typed right after the download starts finds it running
        BigGame.in(seederGames, BIG, "2.0", 5).paks(2, 96 * BigGame.MIB).write();
        // mDNS off: these peers run in the test machine's own network namespace (nothing beyond loopback)
        seeder = PeerProcess.start(work.resolve("seeder"), "seeder", "--no-mdns").awaitReady(120);
        console = PeerProcess.start(Files.createDirectories(work.resolve("console")), "console", "--no-mdns",
                "--console", "--peer", "127.0.0.1:" + seeder.quicPort()).awaitReady(120);
        keyboard = console.process().getOutputStream();
        Conditions.awaitValue("both games listed on the console peer", 60, () -> {
            JsonNode games = console.get("/api/games");
            return games.size() == 2 ? games : null;
        });
    }

    @AfterAll
    void stopPeers() throws Exception {
        for (PeerProcess p : new PeerProcess[] {console, seeder}) {
            if (p != null) {
                p.close();
            }
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void theReadyLineNamesThePageAndTheTerminalSaysWhereTheLogGoes() {
        String terminal = console.logText();
        assertThat(terminal).contains("url=http://127.0.0.1:" + console.httpPort() + "/");
        assertThat(terminal).contains("the log goes to " + work.resolve("console/state/lanspread.log"));
    }

    @Test
    @Order(2)
    void statusNamesThisPeer() throws Exception {
        String out = type("lanspread:status");
        assertThat(out).contains("peer       " + console.peerId(), "name       console",
                "quic port  " + console.quicPort(), "peers      1 online", "downloads  0 running");
    }

    @Test
    @Order(3)
    void peersListTheSeederByName() throws Exception {
        String out = type("peers");
        assertThat(out).contains(seeder.peerId(), "NAME", "ADDRESS", "GAMES", "seeder", "127.0.0.1:" + seeder.quicPort());
    }

    @Test
    @Order(4)
    void gamesListBothAndTheFilterNarrows() throws Exception {
        String all = type("games");
        assertThat(all).contains(SMALL, "Sample " + SMALL, BIG, "Big " + BIG, "2.0", "192 MiB");
        String filtered = type("games BIG");
        assertThat(filtered).contains(BIG).doesNotContain(SMALL);
    }

    @Test
    @Order(5)
    void aGameShowsItsFilesFromTheSeeder() throws Exception {
        String out = type("game " + SMALL);
        assertThat(out).contains("name       Sample " + SMALL, "installed  no", "peers      seeder", "bin/game.exe");
    }

    @Test
    @Order(6)
    void aDownloadRunsToTheEndAndIsListed() throws Exception {
        String started = type("download " + SMALL);
        assertThat(started).contains("of " + SMALL + " started");
        Conditions.awaitValue("the download of " + SMALL + " to finish", 60, () -> {
            for (JsonNode d : console.get("/api/downloads")) {
                if (SMALL.equals(d.get("gameId").asText()) && "FINISHED".equals(d.get("state").asText())) {
                    return d;
                }
            }
            return null;
        });
        String list = type("downloads");
        assertThat(list).contains(SMALL, "100.0 %", "FINISHED");
        // the library lists the game once its files were quiet and are hashed (serve.quiet.seconds)
        Conditions.awaitValue(SMALL + " installed", 30, () -> {
            for (JsonNode g : console.get("/api/games")) {
                if (SMALL.equals(g.get("id").asText()) && g.get("local").asBoolean()) {
                    return g;
                }
            }
            return null;
        });
        assertThat(type("games " + SMALL).lines().filter(l -> l.contains(SMALL + "  ")).findFirst()
                .orElseThrow()).endsWith("yes");
    }

    @Test
    @Order(7)
    void aRunningDownloadIsCancelled() throws Exception {
        // typed together: the cancel reaches the shell while the download is still fetching
        String out = type("download " + BIG + "\ncancel " + BIG);
        Matcher m = DOWNLOAD_ID.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(out).contains("Download " + m.group(1) + " of " + BIG + " cancelled; what it wrote is deleted.");
        String list = type("downloads");
        assertThat(list).contains(m.group(1));
    }

    @Test
    @Order(8)
    void mistakesAreAnsweredWithSentences() throws Exception {
        assertThat(type("game no-such-game")).contains("No game no-such-game here or on any peer found");
        assertThat(type("download no-such-game")).contains("No game no-such-game here or on any peer found");
        assertThat(type("download " + SMALL)).contains("Game " + SMALL + " 1.0 is already here.");
        assertThat(type("cancel no-such-download")).contains("No download no-such-download");
        assertThat(console.logText()).doesNotContain("Exception", "\tat ");
    }

    @Test
    @Order(9)
    void plannersShowTheOneInUse() throws Exception {
        String out = type("planners");
        assertThat(out).containsPattern("adaptive\\s+10\\s+yes").containsPattern("even\\s+0\\s+no");
    }

    @Test
    @Order(10)
    void logLinesWentToTheFileNotToTheTerminal() throws Exception {
        Path file = work.resolve("console/state/lanspread.log");
        String log = Files.readString(file);
        assertThat(log).contains("---- lanspread ", "INFO", "Started Jetty");
        // the download log saw both downloads: begin, end with the outcome
        assertThat(log).containsPattern("Download \\S+ of " + SMALL + "( 1.0)? began")
                .containsPattern("Download \\S+ of " + SMALL + " 1.0 finished: ")
                .containsPattern("Download \\S+ of " + BIG + "( 2.0)? cancelled");
        String terminal = console.logText();
        assertThat(LOG_LINE.matcher(terminal).find()).as(terminal).isFalse();
        assertThat(terminal).doesNotContain("[felix]", "ERROR :", " INFO ", " WARN ");
    }

    @Test
    @Order(11)
    void exitEndsTheProcessWithCodeZero() throws Exception {
        send("exit");
        assertThat(console.process().waitFor(20, TimeUnit.SECONDS)).as(console.logText()).isTrue();
        assertThat(console.process().exitValue()).as(console.logText()).isZero();
        assertThat(console.logText()).doesNotContain("Exception", "Cannot coerce");
    }

    /**
     * Types a line and then an {@code echo} of a fresh marker; returns what the peer printed in between, once
     * the marker came (so the line's whole answer is there).
     */
    private String type(String line) throws IOException {
        String marker = "--end-of-answer-" + (++typed) + "--";
        int mark = console.logText().length();
        send(line + "\necho " + marker);
        return Conditions.awaitValue("the answer to '" + line + "'", 30, () -> {
            String text = console.logText();
            int end = text.indexOf(marker, mark);
            return end < 0 ? null : text.substring(mark, end);
        });
    }

    private void send(String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }
}
