package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.BigGame;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.HeadlessChromium;
import io.lanspread.itests.support.HeadlessChromium.Request;
import io.lanspread.itests.support.LabPeer;
import io.lanspread.itests.support.TreeCompare;

/**
 * Issue 9's "Done when" in a real browser: two real {@code ./lanspread} peers on a LAN lab (finding each other
 * by mDNS, nothing configured), the seeder's link shaped to 160 Mbit/s so a download lasts several seconds,
 * and Debian's headless Chromium on the leecher's page. The page lists the seeder by name and its game; one
 * click on Download starts it; the progress bar rises with every change while the text shows speed and ETA,
 * and the page never asks {@code /api/downloads} (everything comes from the event stream); it reaches 100 %,
 * the game shows as installed, and the copy is byte-identical. A second download is cancelled and cleared.
 * A screenshot of each step goes to {@code target/screenshots/PageInBrowserIT}; peer logs to
 * {@code target/lab-logs/PageInBrowserIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageInBrowserIT {

    private static final int SEEDER_MBIT = 160;
    /** 144 MiB at 160 Mbit/s: about 7.5 s. */
    private static final String RACER = "star-racer";
    private static final String RACER_NAME = "Star Racer";
    /** The one to cancel: big enough to be still running when Cancel is clicked. */
    private static final String FARM = "pixel-farm";
    private static final String FARM_NAME = "Pixel Farm";
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots", "PageInBrowserIT").toAbsolutePath();

    private Lab lab;
    private Path work;
    private LabPeer seeder;
    private LabPeer leecher;
    private Path racerSource;
    private HeadlessChromium browser;
    private int shots;

    @BeforeAll
    void startTwoPeersAndABrowser() throws Exception {
        Lab.assumeSupported();
        HeadlessChromium.assumeInstalled();
        FileTrees.delete(LabPeer.logDir(getClass()));
        lab = Lab.create(2);
        work = Files.createTempDirectory("lanspread-browser");
        LabHost seederHost = lab.host(1);
        LabHost leecherHost = lab.host(2);
        seederHost.shape(SEEDER_MBIT);

        Path seederHome = Files.createDirectories(work.resolve("seeder"));
        Path seederGames = Files.createDirectories(seederHome.resolve("games"));
        racerSource = game(seederGames, RACER, RACER_NAME, "1.4.2", 11, 6, 24);
        game(seederGames, FARM, FARM_NAME, "0.9.0", 12, 8, 24);

        int leecherApi = leecherHost.forward(LabPeer.HTTP_PORT);
        seeder = LabPeer.start(seederHost, seederHost.forward(LabPeer.HTTP_PORT), seederHome, "alices-pc");
        leecher = LabPeer.start(leecherHost, leecherApi, Files.createDirectories(work.resolve("leecher")),
                "bobs-laptop");
        seeder.awaitReady(120);
        leecher.awaitReady(120);
        browser = HeadlessChromium.start(work, SCREENSHOTS, 1280, 900);
    }

    /** A game folder {@code id} with a readable name, of {@code paks} files of {@code mib} MiB each. */
    private static Path game(Path gamesDir, String id, String name, String version, long seed, int paks, int mib)
            throws Exception {
        Path dir = BigGame.in(gamesDir, id, version, seed).paks(paks, mib * BigGame.MIB).write();
        Files.writeString(dir.resolve("version.ini"), "[game]\nname=" + name + "\nversion=" + version + "\n");
        return dir;
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            for (LabPeer p : new LabPeer[] {seeder, leecher}) {
                if (p != null) {
                    p.keepLog(LabPeer.logDir(getClass()));
                }
            }
            if (lab != null) {
                lab.close();
            }
            if (work != null) {
                if (Files.exists(work.resolve("chromedriver.log"))) {
                    Files.createDirectories(LabPeer.logDir(getClass()));
                    Files.copy(work.resolve("chromedriver.log"), LabPeer.logDir(getClass()).resolve("chromedriver.log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                FileTrees.delete(work);
            }
        }
    }

    @Test
    @Order(1)
    void thePageGoesLiveAndListsTheOtherPeerByNameAndItsGames() throws Exception {
        browser.driver().get(origin() + "/");
        browser.waitUpTo(STEP).until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
        browser.waitUpTo(STEP).until(ExpectedConditions.textToBe(
                By.cssSelector("#peers li[data-peer-id='" + seeder.peerId() + "'] .peer-name"), "alices-pc"));
        for (String id : List.of(RACER, FARM)) {
            browser.waitUpTo(STEP).until(ExpectedConditions.visibilityOfElementLocated(downloadButton(id)));
        }
        assertThat(row(RACER).findElement(By.className("game-name")).getText()).isEqualTo(RACER_NAME);
        assertThat(row(RACER).getText()).contains("1.4.2").contains("144 MiB");
        assertThat(browser.driver().findElement(By.id("self-name")).getText()).isEqualTo("bobs-laptop");
        // the uplink's limits and load in the status area (issue 11: fairness shown in the UI)
        browser.waitUpTo(STEP).until(ExpectedConditions.textMatches(By.id("self-uplink"), java.util.regex.Pattern
                .compile("reading \\d+ chunks, \\d+ waiting their turn \\(at most 8 per peer, 32 in all\\)")));
        assertThat(browser.driver().findElement(By.id("no-peers")).isDisplayed())
                .as("the 'no peer found' notice is gone").isFalse();
        shot("page-live");
    }

    @Test
    @Order(2)
    void oneClickDownloadsWithARisingBarSpeedAndEtaWithoutPollingUntilInstalled() throws Exception {
        Set<String> before = downloadIds();
        long clicked = System.nanoTime();
        browser.driver().findElement(downloadButton(RACER)).click();
        String id = awaitNewDownload(before);
        By bar = By.cssSelector(download(id) + " .bar[role=progressbar]");
        browser.waitUpTo(STEP).until(ExpectedConditions.attributeToBe(By.cssSelector(download(id)), "data-state",
                "RUNNING"));
        shot("download-started");

        // each sample is taken when the bar changes, and must be above the one before
        List<Double> samples = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        double last = value(bar);
        long deadline = clicked + DOWNLOAD.toNanos();
        while (last < 100) {
            double previous = last;
            browser.waitUpTo(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .withMessage("the progress bar to move past " + previous + " % (samples so far: " + samples + ")")
                    .until(d -> value(bar) != previous);
            // the bar and its text read at once: an event may land between two reads
            List<?> now = (List<?>) browser.driver().executeScript("const li = document.querySelector(arguments[0]);"
                    + " return [li.querySelector('.bar').getAttribute('aria-valuenow'),"
                    + " li.querySelector('.download-text').textContent];", download(id));
            last = Double.parseDouble((String) now.get(0));
            assertThat(last).as("the bar only rises: samples " + samples).isGreaterThan(previous);
            if (last >= 100) {
                break;
            }
            samples.add(last);
            texts.add((String) now.get(1));
            if (samples.size() == 1 || samples.size() == 3) {
                shot("progress-" + samples.size());
            }
        }
        assertThat(samples).as("progress samples below 100 %, each taken when the bar changed").hasSizeGreaterThanOrEqualTo(3);
        System.out.printf("PageInBrowserIT: progress samples %s%n  texts %s%n", samples, texts);
        // "37 % · 53.2 MiB of 144 MiB · 18.9 MiB/s · 5 s left · 1 of 1 peer", and with swarming
        // " · also sharing 30 %" once the first verified chunks are durable
        assertThat(texts.get(texts.size() - 1)).as("the text of the last sample, all: " + texts)
                .matches("\\d+ % · .* of .* · [\\d.]+ (B|KiB|MiB|GiB)/s · (\\d+ s|\\d+:\\d\\d) left · 1 of 1 peer( · also sharing \\d+ %)?");
        assertThat(texts.stream().filter(t -> t.matches(".*/s · .* left · .*")).count())
                .as("samples showing a speed and an ETA: " + texts).isGreaterThanOrEqualTo(3);

        browser.waitUpTo(DOWNLOAD).until(ExpectedConditions.attributeToBe(By.cssSelector(download(id)), "data-state",
                "FINISHED"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - clicked);
        assertThat(browser.driver().findElement(bar).getAttribute("aria-valuenow")).isEqualTo("100.0");
        browser.waitUpTo(STEP).until(ExpectedConditions.textToBe(
                By.cssSelector("tr[data-game-id='" + RACER + "'] .badge.installed"), "installed"));
        assertThat(browser.driver().findElements(downloadButton(RACER))).as("no Download button once installed").isEmpty();
        assertThat(text(download(id) + " .download-text")).isEqualTo("144 MiB installed");
        shot("installed");
        System.out.printf("PageInBrowserIT: click to FINISHED on the page in %d ms%n", tookMs);
        assertThat(tookMs).as("the download lasted long enough to watch").isGreaterThanOrEqualTo(5_000);

        assertThat(TreeCompare.difference(racerSource, leecher.gamesDir().resolve(RACER)))
                .as("the installed copy is byte-identical to the seeder's").isEmpty();
        assertNoPolling("the download");
    }

    @Test
    @Order(3)
    void aRunningDownloadIsCancelledAndThenClearedFromTheList() throws Exception {
        Set<String> before = downloadIds();
        browser.driver().findElement(downloadButton(FARM)).click();
        String id = awaitNewDownload(before);
        By bar = By.cssSelector(download(id) + " .bar[role=progressbar]");
        browser.waitUpTo(STEP).until(d -> value(bar) > 0);
        shot("second-download-running");

        browser.driver().findElement(By.cssSelector(download(id) + " .cancel")).click();
        browser.waitUpTo(STEP).until(ExpectedConditions.attributeToBe(By.cssSelector(download(id)), "data-state",
                "CANCELLED"));
        assertThat(text(download(id) + " .badge.state")).isEqualTo("cancelled");
        assertThat(value(bar)).as("cancelled before the end").isLessThan(100);
        browser.waitUpTo(STEP).until(ExpectedConditions.visibilityOfElementLocated(downloadButton(FARM)));
        assertThat(browser.driver().findElement(By.cssSelector(download(id) + " .cancel")).isDisplayed()).isFalse();
        shot("cancelled");

        browser.driver().findElement(By.cssSelector(download(id) + " .clear")).click();
        browser.waitUpTo(STEP).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(download(id)), 0));
        assertThat(downloadIds()).as("the finished download stays listed").hasSize(1);
        assertThat(idsOf(leecher.get("/api/downloads"))).as("the peer forgot the cleared download")
                .doesNotContain(id).hasSize(1);
        assertThat(Files.exists(leecher.gamesDir().resolve(FARM).resolve("version.ini")))
                .as("a cancelled game is not installed").isFalse();
        shot("cleared");
        assertNoPolling("cancel and clear");
    }

    @Test
    @Order(4)
    void onAPhoneSizedWindowThePageFitsTheWidth() throws Exception {
        browser.resize(390, 844);
        browser.waitUpTo(STEP).until(d -> width("window.innerWidth") <= 420);
        long viewport = width("document.documentElement.clientWidth");
        long content = width("document.documentElement.scrollWidth");
        shot("phone");
        browser.driver().executeScript("document.getElementById('library-card').scrollIntoView()");
        shot("phone-library");
        assertThat(content).as("page width on a %d px wide viewport (no sideways scrolling)", viewport)
                .isLessThanOrEqualTo(viewport);
    }

    // ------------------------------------------------------------------ the page

    /** The leecher's page, as the browser reaches it (through the lab's forward to its loopback). */
    private String origin() {
        return "http://127.0.0.1:" + leecher.apiPort();
    }

    private static By downloadButton(String gameId) {
        return By.cssSelector("tr[data-game-id='" + gameId + "'] button.download-button");
    }

    private WebElement row(String gameId) {
        return browser.driver().findElement(By.cssSelector("tr[data-game-id='" + gameId + "']"));
    }

    private static String download(String id) {
        return "li[data-download-id='" + id + "']";
    }

    private String text(String css) {
        return browser.driver().findElement(By.cssSelector(css)).getText();
    }

    private double value(By bar) {
        return Double.parseDouble(browser.driver().findElement(bar).getAttribute("aria-valuenow"));
    }

    private long width(String script) {
        return ((Number) browser.driver().executeScript("return " + script)).longValue();
    }

    private Set<String> downloadIds() {
        return browser.driver().findElements(By.cssSelector("#downloads li[data-download-id]")).stream()
                .map(li -> li.getAttribute("data-download-id")).collect(Collectors.toSet());
    }

    /** Waits for a download the page did not list in {@code before}; returns its id. */
    private String awaitNewDownload(Set<String> before) {
        return browser.waitUpTo(STEP).withMessage("a new download in the list").until(d -> {
            Set<String> now = new HashSet<>(downloadIds());
            now.removeAll(before);
            return now.isEmpty() ? null : now.iterator().next();
        });
    }

    private static Set<String> idsOf(JsonNode downloads) {
        Set<String> ids = new HashSet<>();
        downloads.forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }

    /**
     * The page sent its commands (so the request log works) and otherwise only opened the event stream: no GET
     * of /api/downloads, nor of any other API resource.
     */
    private void assertNoPolling(String during) {
        List<Request> requests = browser.requests(origin());
        Map<String, Long> count = new TreeMap<>(requests.stream()
                .collect(Collectors.groupingBy(r -> r.method() + " " + r.path(), Collectors.counting())));
        System.out.printf("PageInBrowserIT: requests by the page up to the end of %s: %s%n", during, count);
        assertThat(count).as("the page's requests").containsKey("POST /api/games/" + RACER + "/download");
        assertThat(requests).as("GETs of /api/downloads by the page: " + count)
                .noneMatch(r -> r.method().equals("GET") && r.path().startsWith("/api/downloads"));
        assertThat(requests).as("API GETs other than the event stream: " + count)
                .noneMatch(r -> r.method().equals("GET") && r.path().startsWith("/api/") && !r.path().equals("/api/events"));
        assertThat(count).as("the page's requests").containsKey("GET /api/events");
    }

    private void shot(String step) throws Exception {
        Path file = browser.screenshot(String.format("%02d-%s", ++shots, step));
        System.out.println("PageInBrowserIT: screenshot " + file);
    }
}
