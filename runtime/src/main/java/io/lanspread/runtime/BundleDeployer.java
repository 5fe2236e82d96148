package io.lanspread.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs every bundle jar of a directory before starting any (so native fragments attach to their
 * hosts), then starts them in two steps around the configuration write: Config Admin first, the rest
 * once the configurations exist. Failures are reported per bundle and do not stop the others.
 */
final class BundleDeployer {

    static final String CONFIG_ADMIN_BSN = "org.apache.felix.configadmin";

    private final BundleContext context;
    private final PrintStream err;
    private final List<Bundle> installed = new ArrayList<>();

    BundleDeployer(BundleContext context, PrintStream err) {
        this.context = context;
        this.err = err;
    }

    /** Installs every {@code *.jar} in each directory, in name order. */
    void installAll(List<Path> directories) throws IOException {
        for (Path dir : directories) {
            List<Path> jars;
            try (Stream<Path> files = Files.list(dir)) {
                jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : jars) {
                try (InputStream in = Files.newInputStream(jar)) {
                    installed.add(context.installBundle(jar.toUri().toString(), in));
                } catch (BundleException e) {
                    err.println("lanspread: bundle " + jar.getFileName() + " failed to install: " + e.getMessage());
                }
            }
        }
    }

    List<Bundle> installed() {
        return List.copyOf(installed);
    }

    /** Starts Config Admin alone so configurations can be written before any component activates. */
    boolean startConfigAdmin() {
        return installed.stream()
                .filter(b -> CONFIG_ADMIN_BSN.equals(b.getSymbolicName()))
                .findFirst()
                .map(this::start)
                .orElse(false);
    }

    /** Resolves all bundles at once, then starts the rest: logging first, lanspread bundles last. */
    /** Starts every installed bundle that is not started yet, except those named in {@code leftStopped}. */
    void startRemaining(Set<String> leftStopped) {
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).resolveBundles(installed);
        installed.stream()
                .filter(b -> !isFragment(b) && b.getState() != Bundle.ACTIVE)
                .filter(b -> !leftStopped.contains(b.getSymbolicName()))
                .sorted(Comparator.comparingInt(BundleDeployer::startRank))
                .forEach(this::start);
    }

    /** Starts the installed bundle with this symbolic name; false when there is none or it failed. */
    boolean start(String symbolicName) {
        return installed.stream().filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .map(this::start).orElse(false);
    }

    private boolean start(Bundle bundle) {
        try {
            bundle.start();
            return true;
        } catch (BundleException | RuntimeException e) {
            err.println("lanspread: bundle " + bundle.getSymbolicName() + " failed to start: " + e.getMessage());
            return false;
        }
    }

    static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    /**
     * SPI Fly must weave slf4j-api before anything loads a logger, and infrastructure (SCR, Jetty) should
     * be up before the lanspread bundles. Within a rank the install (name) order holds.
     */
    static int startRank(Bundle bundle) {
        String bsn = String.valueOf(bundle.getSymbolicName());
        if (bsn.startsWith("org.apache.aries.spifly")) {
            return 0;
        }
        if (bsn.startsWith("slf4j.")) {
            return 1;
        }
        if (bsn.startsWith("io.lanspread.")) {
            return 3;
        }
        return 2;
    }
}
