package io.lanspread.itests.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.lanspread.itests.support.Distribution;
import io.lanspread.itests.support.FileTrees;

/**
 * The API module's bnd baselining really guards the API: a copy of {@code bundles/io.lanspread.api} (with the
 * parent pom beside it, and the same committed baseline) builds with {@code mvn verify} as it is, and fails with a
 * baseline error once a method is removed from a {@code @ProviderType} interface without a version bump of its
 * package.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiBaselineIT {

    private static final String MODULE = "bundles/io.lanspread.api";
    private static final String PEER_DIRECTORY = "src/main/java/io/lanspread/api/peer/PeerDirectory.java";
    private static final String REMOVED_METHOD = "    boolean touch(String peerId);\n";

    private Path work;
    private Path module;

    @BeforeAll
    void copyTheApiModule() throws IOException {
        work = Files.createTempDirectory("lanspread-baseline");
        Files.copy(Distribution.root().resolve("pom.xml"), work.resolve("pom.xml"));
        module = work.resolve(MODULE);
        copyTree(Distribution.root().resolve(MODULE), module);
    }

    @AfterAll
    void deleteTheCopy() throws IOException {
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void theApiAsItIsPassesItsBaseline() throws Exception {
        Build build = verify();
        assertThat(build.exitCode).as(build.output).isZero();
        Path report = module.resolve("target/baseline/io.lanspread.api-0.1.0-SNAPSHOT.txt");
        assertThat(report).as("the baseline report").exists();
        assertThat(Files.readString(report)).contains("io.lanspread.api.peer");
    }

    @Test
    @Order(2)
    void aMethodRemovedFromAProviderTypeWithoutAVersionBumpFailsTheBuild() throws Exception {
        Path source = module.resolve(PEER_DIRECTORY);
        String text = Files.readString(source);
        assertThat(text).contains("@ProviderType").contains(REMOVED_METHOD);
        Files.writeString(source, text.replace(REMOVED_METHOD, ""));
        assertThat(Files.readString(module.resolve("src/main/java/io/lanspread/api/peer/package-info.java")))
                .contains("@Version(\"1.0.0\")");

        Build build = verify();
        assertThat(build.exitCode).as("the build must fail:\n" + build.output).isNotZero();
        assertThat(build.output).contains("bnd-baseline-maven-plugin").contains("Baseline problems detected");
        // the report names the package, its unchanged version and the version bnd asks for, and the removed method
        assertThat(build.output).containsPattern("\\* io\\.lanspread\\.api\\.peer\\s+PACKAGE\\s+MAJOR\\s+1\\.0\\.0\\s+1\\.0\\.0\\s+2\\.0\\.0")
                .containsPattern("REMOVED\\s+METHOD\\s+touch\\(java\\.lang\\.String\\)");
    }

    /**
     * {@code mvn verify} of the copied module, tests skipped. Offline: every plugin it needs is in the local
     * repository already, since this module's build needed the API module built and installed first.
     */
    private Build verify() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(mavenExecutable(), "-B", "-o", "-Dmaven.test.skip=true",
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local",
                        System.getProperty("user.home") + "/.m2/repository"),
                "-f", module.resolve("pom.xml").toString(), "verify"));
        Path log = Files.createTempFile(work, "mvn", ".log");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mvn verify of the API copy took over 120 s:\n" + Files.readString(log));
        }
        return new Build(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String mavenExecutable() {
        String home = System.getProperty("maven.home");
        if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private record Build(int exitCode, String output) {
    }
}
