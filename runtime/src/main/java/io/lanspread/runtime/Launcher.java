package io.lanspread.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts one lanspread peer: an embedded Felix framework with every bundle of {@code bundles/} next to
 * this jar, configured through Config Admin from the command line. Prints one "lanspread ready" line to
 * stdout when the peer answers on its HTTP API; everything else goes to stderr.
 */
public final class Launcher {

    static final int EXIT_NOT_READY = 1;
    static final String MDNS_BUNDLE = "io.lanspread.discovery.mdns";
    static final int EXIT_USAGE = 2;
    static final String GOGO_SHELL_BUNDLE = "org.apache.felix.gogo.shell";

    /** Override with -Dlanspread.ready.timeout=SECONDS (tests that expect a failure). */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("lanspread.ready.timeout", 60));
    private static final long CONFIG_ADMIN_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final PrintStream out;
    private final PrintStream err;
    /** Held so the level set on it is not lost when java.util.logging drops unreferenced loggers. */
    private final Logger spiFlyLog = Logger.getLogger("org.apache.aries.spifly");

    private Launcher(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Launcher(System.out, System.err).run(args));
    }

    int run(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, Path.of("").toAbsolutePath());
        } catch (UsageException e) {
            err.println("lanspread: " + e.getMessage());
            err.print(LaunchOptions.USAGE);
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(LaunchOptions.USAGE);
            return 0;
        }
        if (options.version()) {
            out.println("lanspread " + Version.current());
            return 0;
        }
        try {
            return launch(options);
        } catch (Exception e) {
            err.println("lanspread: startup failed: " + e);
            return EXIT_NOT_READY;
        }
    }

    private int launch(LaunchOptions options) throws Exception {
        long started = System.nanoTime();
        Path home = home();
        Path bundles = home.resolve("bundles");
        if (!Files.isDirectory(bundles)) {
            err.println("lanspread: no bundle directory at " + bundles
                    + " (build first: mvn -B -q -DskipTests install)");
            return EXIT_NOT_READY;
        }
        List<String> portProblems = PortCheck.problems(options);
        if (!portProblems.isEmpty()) {
            portProblems.forEach(p -> err.println("lanspread: " + p));
            return EXIT_NOT_READY;
        }
        Files.createDirectories(options.gamesDir());
        Files.createDirectories(options.stateDir());
        LogDestination.apply(options, Version.current())
                .ifPresent(file -> err.println("lanspread: the log goes to " + file + " (--verbose shows it here)"));
        systemPropertyDefaults();

        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(frameworkProperties(options));
        framework.init();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                long t0 = System.nanoTime();
                stop(framework);
                err.println("lanspread: stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            }
        }, "lanspread-shutdown"));
        BundleContext context = framework.getBundleContext();

        BundleDeployer deployer = new BundleDeployer(context, err);
        List<Path> dirs = new ArrayList<>(List.of(bundles));
        if (options.console()) {
            dirs.add(bundles.resolve("console"));
        }
        deployer.installAll(dirs);
        framework.start();
        ConsoleExit exit = new ConsoleExit(framework);
        if (options.console()) {
            context.registerService(Object.class, exit, new Hashtable<>(Map.of(
                    "osgi.command.scope", ConsoleExit.SCOPE, "osgi.command.function", new String[] {"exit"})));
        }

        if (!deployer.startConfigAdmin()) {
            err.println("lanspread: Config Admin is not available; cannot configure the peer");
            stop(framework);
            return EXIT_NOT_READY;
        }
        new ConfigAdminWriter(context).write(PeerConfigurations.from(options), PeerConfigurations.OWNED,
                CONFIG_ADMIN_TIMEOUT_MILLIS);
        // installed but not started, so that `start io.lanspread.discovery.mdns` on the console turns it on;
        // the shell starts once the peer is ready, so that its prompt comes after the ready line
        Set<String> later = new HashSet<>(Set.of(GOGO_SHELL_BUNDLE));
        if (!options.mdns()) {
            later.add(MDNS_BUNDLE);
        }
        deployer.startRemaining(later);

        Optional<ReadinessProbe.Ready> ready = new ReadinessProbe(framework, options.stateDir().resolve("http-token")).await(READY_TIMEOUT);
        if (ready.isEmpty()) {
            if (framework.getState() != Bundle.ACTIVE) {
                return 0; // stopped while starting (Ctrl-C, or "stop 0" on the console): nothing to report
            }
            err.println("lanspread: the peer did not become ready within " + READY_TIMEOUT.toSeconds()
                    + " s (no HTTP runtime, or GET /api/status did not answer 200 with a peer id; see the log above)");
            Diagnostics.inactiveBundles(deployer.installed()).forEach(l -> err.println("lanspread:   " + l));
            Diagnostics.unsatisfiedComponents(context).forEach(l -> err.println("lanspread:   " + l));
            stop(framework);
            return EXIT_NOT_READY;
        }
        StatusResponse status = ready.get().status();
        String games = status.gamesDir().isEmpty() ? options.gamesDir().toString() : status.gamesDir();
        out.println("lanspread ready peer=" + status.peerId() + " name=" + status.name()
                + " quic=" + status.quicPort() + " http=" + ready.get().httpPort() + " url=" + ready.get().url()
                + " games=" + games
                + ready.get().tokenFile().map(file -> " token=" + file).orElse(""));
        out.flush();
        System.err.println("lanspread: up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        if (options.console()) {
            deployer.start(GOGO_SHELL_BUNDLE);
        }

        FrameworkEvent event = framework.waitForStop(0);
        return event.getType() == FrameworkEvent.ERROR ? EXIT_NOT_READY : exit.code();
    }

    private Map<String, String> frameworkProperties(LaunchOptions options) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, options.stateDir().resolve("felix-cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // JmDNS 3.6.1 asks for osgi.ee JavaSE 8.0 (not 1.8), which the framework does not list by itself.
        props.put(Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA,
                "osgi.ee; osgi.ee=\"JavaSE\"; version:List<Version>=\"8.0\"");
        // Jetty waits for its Config Admin configuration instead of binding its default port first.
        props.put("org.apache.felix.http.require.config", "true");
        props.put("felix.log.logger", new StderrLogger());
        props.put("felix.log.level", "1");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> felixProps = (Map) props; // Felix accepts an object for felix.log.logger
        return felixProps;
    }

    private void systemPropertyDefaults() {
        // slf4j-simple is the logging backend inside the framework; it reads system properties only.
        // A -D on the java command line wins over these defaults.
        defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        defaultProperty("org.slf4j.simpleLogger.logFile", "System.err");
        defaultProperty("org.slf4j.simpleLogger.showDateTime", "true");
        defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        defaultProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // Netty samples one buffer in 128 for leak tracking and records a stack trace for it, on the
        // event loops; a transfer allocates a buffer per datagram. Tests keep tracking (they run without
        // this launcher); a peer does not pay for it.
        defaultProperty("io.netty.leakDetection.level", "disabled");
        // SPI Fly logs every provider it registers through java.util.logging; keep its warnings only.
        spiFlyLog.setLevel(Level.WARNING);
    }

    private static void defaultProperty(String key, String value) {
        System.setProperty(key, System.getProperty(key, value));
    }

    private void stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                framework.stop();
            }
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } catch (BundleException | RuntimeException e) {
            err.println("lanspread: stopping the framework failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The directory holding this jar (target/ in a build): bundles/ and lib/ live next to it. */
    private static Path home() throws IOException, URISyntaxException {
        String override = System.getProperty("lanspread.home");
        if (override != null) {
            return Path.of(override).toAbsolutePath();
        }
        Path location = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return location.toAbsolutePath().getParent();
    }
}
