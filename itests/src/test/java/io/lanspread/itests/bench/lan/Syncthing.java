package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lanspread.itests.lab.ExecResult;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Conditions;

/**
 * One Syncthing instance (Debian's {@code syncthing}) in a lab host, configured for a LAN benchmark: keys from
 * {@code syncthing generate}, a config.xml written here with global and local discovery, relays, NAT, usage
 * and crash reporting and upgrades off, the other device at a static {@code tcp://addr:22000}, one folder
 * ({@code sendonly} or {@code receiveonly}) without file watcher or periodic rescans, and the GUI/REST API on
 * the host's 127.0.0.1:8384 with an API key chosen here, reached through {@link LabHost#forward}. Runs with
 * {@code --no-restart}; Debian's 1.19 still starts its monitor process, which runs the real Syncthing as its
 * child, so CPU and RSS are taken over the process tree. Syncthing's own default of lowering its priority is
 * turned off so it competes for the CPU like the other tools.
 */
public final class Syncthing {

    public static final int SYNC_PORT = 22000;
    public static final int GUI_PORT = 8384;
    public static final String FOLDER = "bench";

    private static final Pattern DEVICE_ID = Pattern.compile("Device ID: ([A-Z0-9-]{63})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final LabHost host;
    private final Path home;
    private final String deviceId;
    private final String apiKey;
    private Path folder;
    private Process process;
    private int apiPort;

    private Syncthing(LabHost host, Path home, String deviceId) {
        this.host = host;
        this.home = home;
        this.deviceId = deviceId;
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        this.apiKey = HexFormat.of().formatHex(key);
    }

    /** {@code syncthing generate --home=<home>}: a key pair and certificate; returns the instance (not started). */
    public static Syncthing generate(LabHost host, Path home) throws IOException {
        Files.createDirectories(home);
        ExecResult r = host.exec(Duration.ofSeconds(60), Binaries.path("syncthing"), "generate", "--home=" + home,
                "--no-default-folder", "--skip-port-probing").orThrow();
        Matcher m = DEVICE_ID.matcher(r.output());
        if (!m.find()) {
            throw new IllegalStateException("no device id in: " + r);
        }
        return new Syncthing(host, home, m.group(1));
    }

    public String deviceId() {
        return deviceId;
    }

    public LabHost host() {
        return host;
    }

    public Path folder() {
        return folder;
    }

    /** The pid of the Syncthing process the lab started (the monitor; the real Syncthing is its child). */
    public long pid() {
        return process.pid();
    }

    /**
     * Writes config.xml: {@code folder} shared with {@code other} as {@code type} ({@code sendonly} or
     * {@code receiveonly}).
     */
    public void configure(Path folderPath, String type, Syncthing other) throws IOException {
        this.folder = Files.createDirectories(folderPath);
        Files.createDirectories(folderPath.resolve(".stfolder"));
        String folderXml = "    <folder id=\"" + FOLDER + "\" label=\"" + FOLDER + "\" path=\"" + folderPath + "\" type=\""
                + type + "\" rescanIntervalS=\"0\" fsWatcherEnabled=\"false\" fsWatcherDelayS=\"10\""
                + " ignorePerms=\"false\" autoNormalize=\"true\">\n"
                + "        <filesystemType>basic</filesystemType>\n"
                + "        <device id=\"" + deviceId + "\" introducedBy=\"\"></device>\n"
                + "        <device id=\"" + other.deviceId + "\" introducedBy=\"\"></device>\n"
                + "        <minDiskFree unit=\"%\">1</minDiskFree>\n"
                + "        <markerName>.stfolder</markerName>\n"
                + "    </folder>\n";
        String xml = "<configuration version=\"36\">\n" + folderXml
                + device(deviceId, host.name(), "dynamic")
                + device(other.deviceId, other.host.name(), "tcp://" + other.host.address() + ":" + SYNC_PORT)
                + "    <gui enabled=\"true\" tls=\"false\" debugging=\"false\">\n"
                + "        <address>127.0.0.1:" + GUI_PORT + "</address>\n"
                + "        <apikey>" + apiKey + "</apikey>\n"
                + "        <theme>default</theme>\n"
                + "    </gui>\n"
                + "    <options>\n"
                + "        <listenAddress>tcp://" + host.address() + ":" + SYNC_PORT + "</listenAddress>\n"
                + "        <globalAnnounceEnabled>false</globalAnnounceEnabled>\n"
                + "        <localAnnounceEnabled>false</localAnnounceEnabled>\n"
                + "        <relaysEnabled>false</relaysEnabled>\n"
                + "        <natEnabled>false</natEnabled>\n"
                + "        <urAccepted>-1</urAccepted>\n"
                + "        <crashReportingEnabled>false</crashReportingEnabled>\n"
                + "        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>\n"
                + "        <startBrowser>false</startBrowser>\n"
                + "        <announceLANAddresses>false</announceLANAddresses>\n"
                + "        <setLowPriority>false</setLowPriority>\n"
                + "        <reconnectionIntervalS>5</reconnectionIntervalS>\n"
                + "    </options>\n"
                + "</configuration>\n";
        Files.writeString(home.resolve("config.xml"), xml);
    }

    private static String device(String id, String name, String address) {
        return "    <device id=\"" + id + "\" name=\"" + name + "\" compression=\"metadata\" introducer=\"false\""
                + " skipIntroductionRemovals=\"false\" introducedBy=\"\">\n"
                + "        <address>" + address + "</address>\n"
                + "        <paused>false</paused>\n"
                + "        <autoAcceptFolders>false</autoAcceptFolders>\n"
                + "    </device>\n";
    }

    /** Starts {@code syncthing serve} and waits until its REST API answers with its device id. */
    public void start() throws IOException {
        process = host.start(List.of(Binaries.path("syncthing"), "serve", "--home=" + home, "--no-browser",
                "--no-restart", "--no-upgrade", "--no-default-folder", "--skip-port-probing"), home, home.resolve("syncthing.log"));
        apiPort = host.forward(GUI_PORT);
        Conditions.awaitValue("Syncthing's REST API on " + host.name(), 60, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("syncthing on " + host.name() + " ended: " + log());
            }
            JsonNode s = get("/rest/system/status");
            return deviceId.equals(s.path("myID").asText()) ? s : null;
        });
    }

    /** Waits until this instance has a connection to {@code other}. */
    public void awaitConnected(Syncthing other, int seconds) {
        Conditions.awaitValue(host.name() + " connected to Syncthing on " + other.host.name(), seconds, () -> {
            JsonNode c = get("/rest/system/connections").path("connections").path(other.deviceId);
            return c.path("connected").asBoolean() ? c : null;
        });
    }

    /** {@code POST /rest/db/scan?folder=bench}: returns when the scan is done. */
    public void scan() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request("/rest/db/scan?folder=" + FOLDER).timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("syncthing scan on " + host.name() + " -> " + r.statusCode() + " " + r.body());
        }
    }

    /** {@code GET /rest/db/status?folder=bench}. */
    public JsonNode folderStatus() throws IOException, InterruptedException {
        return get("/rest/db/status?folder=" + FOLDER);
    }

    /** Whether the folder is idle with nothing left to pull. */
    public boolean idleAndComplete() throws IOException, InterruptedException {
        JsonNode s = folderStatus();
        return "idle".equals(s.path("state").asText()) && s.path("needBytes").asLong() == 0
                && s.path("needFiles").asLong() == 0;
    }

    /** {@code GET /rest/db/file?folder=bench&file=<name>}: the global and local record of one file. */
    public JsonNode file(String name) throws IOException, InterruptedException {
        return get("/rest/db/file?folder=" + FOLDER + "&file=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request(path).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("syncthing on " + host.name() + ": GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).header("X-API-Key", apiKey);
    }

    public String log() {
        try {
            return Files.readString(home.resolve("syncthing.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The Syncthing version, as {@code syncthing --version} prints it. */
    public static String version() {
        try {
            Process p = new ProcessBuilder(Binaries.path("syncthing"), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return out;
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
