package io.lanspread.runtime;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * {@code exit} on the {@code --console}: stops the framework, after which the launcher ends with the code
 * given (0 by default). Registered in scope {@code gogo}, which Gogo's default profile searches first, so
 * it wins over the profile's {@code exit} (that is {@code System.exit}, which needs an argument and, given
 * one, kills the JVM while the shell thread is still inside the framework).
 */
public final class ConsoleExit {

    static final String SCOPE = "gogo";

    private final Framework framework;
    private volatile int code;

    ConsoleExit(Framework framework) {
        this.framework = framework;
    }

    /** Stops this peer; the process ends with exit code 0. */
    public String exit() throws BundleException {
        return exit(0);
    }

    /** Stops this peer; the process ends with {@code code}. */
    public String exit(int code) throws BundleException {
        this.code = code;
        framework.stop(); // asynchronous: returns at once, the framework stops on its own thread
        return "lanspread: stopping";
    }

    int code() {
        return code;
    }
}
