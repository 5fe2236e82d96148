package io.lanspread.itests.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's headless Chromium ({@code chromium}, {@code chromium-driver}) driven by Selenium, fully offline:
 * the driver and browser paths are given, so Selenium Manager never looks anything up or downloads. Keeps
 * every HTTP request the page sends (from Chrome's performance log, {@code Network.requestWillBeSent}) and
 * saves numbered screenshots.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request the browser sent: its method, origin ({@code http://host:port}) and URL path (no query). */
    public record Request(String method, String origin, String path) {
    }

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path screenshots;
    private final List<Request> requests = new ArrayList<>();

    private HeadlessChromium(ChromeDriver driver, ChromeDriverService service, Path screenshots) {
        this.driver = driver;
        this.service = service;
        this.screenshots = screenshots;
    }

    /** Skips the calling test when Chromium or its driver is missing; fails it instead under CI=true. */
    public static void assumeInstalled() {
        Privileges.require(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "the browser test needs Debian's chromium and chromium-driver (" + BROWSER + ", " + DRIVER + ")");
    }

    /**
     * Starts Chromium with a fresh profile below {@code work}, a {@code width}x{@code height} window, and its
     * screenshots going to {@code screenshots} (emptied first). chromedriver's log goes to {@code work}.
     */
    public static HeadlessChromium start(Path work, Path screenshots, int width, int height) throws IOException {
        FileTrees.delete(screenshots);
        Files.createDirectories(screenshots);
        Path profile = Files.createDirectories(work.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(work.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriver driver = new ChromeDriver(service, options);
        return new HeadlessChromium(driver, service, screenshots);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** A wait on the page with this deadline (polling every 50 ms). */
    public WebDriverWait waitUpTo(Duration deadline) {
        WebDriverWait wait = new WebDriverWait(driver, deadline);
        wait.pollingEvery(Duration.ofMillis(50));
        return wait;
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves the visible part of the page as {@code <screenshots>/<name>.png}; returns the file. */
    public Path screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = screenshots.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Every request the browser has sent to {@code origin} so far (Chrome's own pages, such as its new tab
     * page, send others). Chrome hands each log entry out once; they are kept here.
     */
    public synchronized List<Request> requests(String origin) {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                    JsonNode request = message.path("params").path("request");
                    URI url = URI.create(request.path("url").asText());
                    if (url.getHost() != null && url.getPath() != null) {
                        String from = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
                        requests.add(new Request(request.path("method").asText(), from, url.getPath()));
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                // not a request entry we can read: not one the page sent to the peer either
            }
        }
        return requests.stream().filter(r -> r.origin().equals(origin)).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
