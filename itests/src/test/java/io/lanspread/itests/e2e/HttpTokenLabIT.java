package io.lanspread.itests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.lanspread.itests.lab.ExecResult;
import io.lanspread.itests.lab.Lab;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.LabPeer;
import io.lanspread.itests.support.PeerProcess;

/**
 * A peer whose page and API listen on its LAN address ({@code --http-bind}), asked from another lab host with
 * curl: without the token every API request is 401 JSON and only the login page is served; with the token (a
 * header for scripts, or the session cookie the login page hands out) everything answers, under any Host name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpTokenLabIT {

    private Lab lab;
    private Path work;
    private LabPeer peer;
    private LabHost neighbour;
    private String base;
    private String token;

    @BeforeAll
    void startAPeerOnItsLanAddress() throws Exception {
        Lab.assumeSupported();
        lab = Lab.create(2);
        work = Files.createTempDirectory("lanspread-http-token");
        LabHost host = lab.host(1);
        neighbour = lab.host(2);
        peer = LabPeer.start(host, 0, Files.createDirectories(work.resolve("guarded")), "guarded", "--no-mdns",
                "--http-bind", host.address()).awaitReady(120);
        base = "http://" + host.address() + ":" + LabPeer.HTTP_PORT;
        Path tokenFile = peer.home().resolve("state/http-token");
        assertThat(tokenFile).exists();
        assertThat(Files.readString(peer.log())).as("the ready line names the token's file")
                .contains("token=" + tokenFile);
        token = Files.readString(tokenFile).trim();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (peer != null) {
            peer.keepLog(LabPeer.logDir(getClass()));
        }
        if (lab != null) {
            lab.close();
        }
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    void withoutTheTokenEveryApiRequestIs401AndOnlyTheLoginPageIsServed() throws Exception {
        for (String path : List.of("/api/status", "/api/peers", "/api/games", "/api/downloads", "/api/events",
                "/api/games/x", "/api/nothing")) {
            Answer a = curl(path);
            assertThat(a.status).as(path).isEqualTo(401);
            assertThat(PeerProcess.parse(a.body).get("error").asText()).as(path).contains("token");
        }
        Answer start = curl("/api/games/x/download", "-X", "POST");
        assertThat(start.status).isEqualTo(401);
        Answer page = curl("/");
        assertThat(page.status).isEqualTo(302);
        assertThat(page.headers).containsPattern("(?i)Location: (http://[^/]+)?/login\\r?\\n");
        assertThat(curl("/assets/app.js").status).as("the main page's script").isEqualTo(302);
        Answer login = curl("/login");
        assertThat(login.status).isEqualTo(200);
        assertThat(login.body).contains("action=\"/api/login\"");
        assertThat(curl("/assets/login.js").status).isEqualTo(200);
    }

    @Test
    void aScriptWithTheTokenIsServedUnderAnyHostName() throws Exception {
        Answer a = curl("/api/status", "-H", "Authorization: Bearer " + token, "-H", "Host: guarded.lan:42421");
        assertThat(a.status).as(a.body).isEqualTo(200);
        assertThat(PeerProcess.parse(a.body).get("peerId").asText()).isEqualTo(peer.peerId());
        assertThat(curl("/api/status", "-H", "Authorization: Bearer " + token + "x").status).isEqualTo(401);
    }

    @Test
    void theLoginPageGivesABrowserASessionCookie() throws Exception {
        String origin = "Origin: " + base;
        Answer wrong = curl("/api/login", "-d", "token=not-it", "-H", origin);
        assertThat(wrong.status).isEqualTo(303);
        assertThat(wrong.headers).containsIgnoringCase("Location: /login?failed").doesNotContainIgnoringCase("Set-Cookie");

        Answer right = curl("/api/login", "-d", "token=" + token, "-H", origin);
        assertThat(right.status).isEqualTo(303);
        String cookie = null;
        for (String line : right.headers.split("\r?\n")) {
            if (line.toLowerCase().startsWith("set-cookie:")) {
                cookie = line.substring(line.indexOf(':') + 1).trim().split(";", 2)[0];
            }
        }
        assertThat(cookie).as(right.headers).startsWith("lanspread_session=");
        assertThat(cookie).doesNotContain(token);

        assertThat(curl("/api/status", "-H", "Cookie: " + cookie).status).isEqualTo(200);
        Answer page = curl("/", "-H", "Cookie: " + cookie);
        assertThat(page.status).isEqualTo(200);
        assertThat(page.body).contains("/assets/app.js");
    }

    // ------------------------------------------------------------------ curl from the other host

    private record Answer(int status, String headers, String body) {
    }

    private Answer curl(String path, String... extra) throws Exception {
        Path headers = Files.createTempFile(work, "headers", ".txt");
        Path body = Files.createTempFile(work, "body", ".txt");
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-o", body.toString(), "-D", headers.toString(),
                "-w", "%{http_code}", "--max-time", "20"));
        cmd.addAll(List.of(extra));
        cmd.add(base + path);
        ExecResult r = neighbour.exec(cmd.toArray(new String[0]));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String out = r.output().trim();
        int status = Integer.parseInt(out.substring(Math.max(0, out.length() - 3)));
        return new Answer(status, Files.readString(headers), Files.readString(body));
    }
}
