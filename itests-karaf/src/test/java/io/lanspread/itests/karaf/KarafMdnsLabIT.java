package io.lanspread.itests.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * mDNS works in Karaf: a Karaf peer on one host and a {@code ./lanspread} peer on another (two network
 * namespaces on one link, see {@link TwoHosts}), with no static peers, find each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KarafMdnsLabIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration FIND = Duration.ofSeconds(60);

    private TwoHosts hosts;
    private Karaf karaf;
    private FelixPeer felix;

    @BeforeAll
    void startAKarafAndAFelixPeerOnTwoHosts() throws Exception {
        hosts = TwoHosts.create();
        Path runs = Files.createDirectories(Paths.get("target", "karaf-lab-it").toAbsolutePath());
        try (Stream<Path> earlier = Files.list(runs)) {
            for (Path dir : (Iterable<Path>) earlier::iterator) {
                Karaf.exec(List.of("rm", "-rf", dir.toString()));
            }
        }
        Path run = Files.createDirectories(runs.resolve("run-" + System.currentTimeMillis()));
        Path kar = Paths.get(System.getProperty("lanspread.kar")).toAbsolutePath().normalize();
        Path repository = unzip(kar, run.resolve("kar-contents")).resolve("repository");
        Path localRepository = Paths.get(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));

        karaf = Karaf.prepare(Paths.get(System.getProperty("karaf.dist.dir")), run.resolve("karaf"), localRepository,
                List.of(repository), TwoHosts.prefix(hosts.a));
        Path games = Files.createDirectories(run.resolve("karaf-games"));
        karaf.writeConfig("io.lanspread.catalog", Map.of("games.dir", games.toString()));
        karaf.writeConfig("io.lanspread.identity", Map.of("name", "karaf-lab"));
        karaf.start();
        felix = FelixPeer.start(Files.createDirectories(run.resolve("felix")), "felix-lab", TwoHosts.prefix(hosts.b),
                "--port", "0", "--http-port", "0");
        felix.awaitReady((int) START.toSeconds());
        Poll.until("Karaf's shell answers", START,
                () -> karaf.run("bundle:list -s -t 0 | grep org.apache.karaf.features.core"),
                out -> out.contains("Active"), karaf::logTail);
        String version = System.getProperty("lanspread.version", "0.1.0-SNAPSHOT");
        karaf.runOk("feature:repo-add mvn:io.lanspread/lanspread-features/" + version + "/xml/features");
        karaf.runOk("feature:install lanspread");
    }

    @AfterAll
    void stop() throws Exception {
        if (felix != null) {
            felix.close();
        }
        if (karaf != null) {
            karaf.close();
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void theKarafPeerAndTheFelixPeerFindEachOtherOverMdns() throws Exception {
        assertThat(karaf.home().resolve("etc/io.lanspread.discovery.static.cfg")).doesNotExist();
        Poll.until("the Karaf peer finds the ./lanspread peer over mDNS", FIND,
                () -> karaf.runOk("lanspread:peers | grep ."), out -> out.contains("felix-lab"), karaf::logTail);
        assertThat(karaf.udpPorts()).as("Karaf's UDP sockets").contains(5353);
        Poll.until("the ./lanspread peer knows the Karaf peer", FIND,
                () -> Karaf.exec(hosts.in(hosts.b, "curl", "-s", "http://127.0.0.1:" + felix.httpPort() + "/api/peers")),
                out -> out.contains("karaf-lab"), felix::logText);
    }

    private static Path unzip(Path kar, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(kar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the KAR: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        return into;
    }
}
