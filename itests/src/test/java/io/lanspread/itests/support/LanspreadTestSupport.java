package io.lanspread.itests.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.cm.ConfigurationAdminOptions.newConfiguration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.cm.ConfigurationOption;

/**
 * Base options for Pax Exam tests: Felix with exactly the bundles the launcher ships (read from
 * runtime/target/bundles), ports picked by the system, and a games and state folder of the test's own.
 */
public abstract class LanspreadTestSupport {

    @Configuration
    public Option[] config() throws IOException {
        Path work = Files.createTempDirectory("lanspread-paxexam");
        Path games = Files.createDirectories(work.resolve("games"));
        Path state = Files.createDirectories(work.resolve("state"));
        String localRepo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");

        List<Option> options = new ArrayList<>();
        // Pax Exam's own bundles come from the local repository only: no network at test time.
        options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(localRepo));
        options.add(systemProperty("org.ops4j.pax.url.mvn.repositories").value(""));
        options.add(systemProperty("org.ops4j.pax.url.mvn.offline").value("true"));
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"));
        options.add(systemProperty("pax.exam.logging").value("none"));
        // JmDNS 3.6.1 declares a Java 8 execution environment that Felix does not offer by default.
        options.add(frameworkProperty("org.osgi.framework.system.capabilities.extra")
                .value("osgi.ee; osgi.ee=\"JavaSE\"; version:List<Version>=\"1.8,8.0\""));
        options.add(junitBundles());
        Map<String, Map<String, Object>> configurations = new LinkedHashMap<>();
        // every state folder inside the test's own: the working directory keeps nothing from one test to the next
        configuration(configurations, "io.lanspread.catalog").put("games.dir", games.toString());
        configuration(configurations, "io.lanspread.catalog").put("state.dir", state.toString());
        configuration(configurations, "io.lanspread.download").put("state.dir", state.toString());
        configuration(configurations, "io.lanspread.bridge.http.access").put("state.dir", state.toString());
        configuration(configurations, "io.lanspread.identity").put("state.dir", state.toString());
        configuration(configurations, "io.lanspread.identity").put("name", "paxexam");
        configuration(configurations, "io.lanspread.transport.quic.server").put("port", 0);
        configuration(configurations, "io.lanspread.transport.quic.server").put("bind.address", "127.0.0.1");
        // mDNS runs, but on loopback only: nothing leaves the machine from a test in the root namespace
        configuration(configurations, "io.lanspread.discovery.mdns").put("interfaces", new String[] {"lo"});
        configuration(configurations, "org.apache.felix.http").put("org.osgi.service.http.port", 0);
        configuration(configurations, "org.apache.felix.http").put("org.apache.felix.http.host", "127.0.0.1");
        configure(configurations);
        configurations.forEach((pid, properties) -> {
            ConfigurationOption option = newConfiguration(pid);
            properties.forEach(option::put);
            options.add(option.asOption());
        });
        for (Path jar : Distribution.bundles()) {
            // a fragment (the QUIC natives) attaches to its host; it cannot be started itself
            options.add(Distribution.isFragment(jar) ? bundle(jar.toUri().toString()).noStart()
                    : bundle(jar.toUri().toString()));
        }
        return options.toArray(new Option[0]);
    }

    /**
     * A test's own settings: add or change properties of any PID here (each PID becomes one configuration; a
     * second configuration of the same PID would replace the first one's properties, state folders included).
     */
    protected void configure(Map<String, Map<String, Object>> configurations) {
    }

    /** The properties of one PID, to put settings in. */
    protected static Map<String, Object> configuration(Map<String, Map<String, Object>> configurations, String pid) {
        return configurations.computeIfAbsent(pid, p -> new LinkedHashMap<>());
    }
}
