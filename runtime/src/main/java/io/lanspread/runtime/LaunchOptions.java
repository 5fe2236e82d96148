package io.lanspread.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's command line. Directories are absolute (resolved against the caller's working
 * directory); ports are 0..65535 where 0 means "any free port". {@code partyKey} is null without
 * {@code --party-key}; {@link #toString} never shows it.
 */
record LaunchOptions(
        Path gamesDir,
        Path stateDir,
        String name,
        int quicPort,
        int httpPort,
        String bindAddress,
        String httpBind,
        List<String> peers,
        String partyKey,
        boolean mdns,
        boolean console,
        boolean help,
        boolean verbose,
        boolean version) {

    static final int DEFAULT_QUIC_PORT = 42420;
    static final int DEFAULT_HTTP_PORT = 42421;
    static final String DEFAULT_BIND = "0.0.0.0";
    /** The page and API stay on this machine unless {@code --http-bind} says otherwise. */
    static final String DEFAULT_HTTP_BIND = "127.0.0.1";

    static final String USAGE = """
            usage: lanspread [--games DIR] [--state DIR] [--name NAME] [--port UDP_PORT]
                             [--http-port PORT] [--http-bind ADDR] [--bind ADDR] [--peer HOST:PORT]...
                             [--party-key SECRET]
                             [--no-mdns] [--console] [--verbose] [--version] [--help]

              --games DIR        game library (default ./games, created when missing)
              --state DIR        peer state: identity, manifest cache, downloads to resume, framework cache
                                 (default ./.lanspread)
              --name NAME        name shown to other peers (default: host name)
              --port UDP_PORT    QUIC listen port (default 42420; 0 = any free port)
              --http-port PORT   port of the page and HTTP API (default 42421; 0 = any free port)
              --http-bind ADDR   address the page and API listen on (default 127.0.0.1, this machine only);
                                 any other address makes them ask for the token in STATE/http-token
              --bind ADDR        QUIC bind address (default 0.0.0.0)
              --peer HOST:PORT   a peer to contact directly (repeatable; for networks without multicast)
              --party-key SECRET serve and list only peers started with the same secret (a closed party;
                                 every connection proves it); without it every peer on the network is welcome
              --no-mdns          do not start mDNS discovery (only --peer peers and peers that call in)
              --console          start the interactive Gogo shell on this terminal (lanspread:* commands;
                                 exit leaves); the log then goes to STATE/lanspread.log
              --verbose          the log on the terminal (also with --console), lanspread's own at DEBUG
              --version          print the version and exit
              --help             print this help

            Prints one line "lanspread ready peer=... name=... quic=... http=... url=... games=..." when up;
            the log goes to stderr (to STATE/lanspread.log with --console).
            """;

    LaunchOptions {
        peers = List.copyOf(peers);
    }

    /** Like the record's, with the party key left out: a secret has no place in a log. */
    @Override
    public String toString() {
        return "LaunchOptions[gamesDir=" + gamesDir + ", stateDir=" + stateDir + ", name=" + name + ", quicPort="
                + quicPort + ", httpPort=" + httpPort + ", bindAddress=" + bindAddress + ", httpBind=" + httpBind
                + ", peers=" + peers
                + ", partyKey=" + (partyKey == null ? "none" : "(hidden)") + ", mdns=" + mdns + ", console=" + console
                + ", help=" + help + "]";
    }

    /** Parses {@code args}; relative directories are resolved against {@code workingDir}. */
    static LaunchOptions parse(String[] args, Path workingDir) throws UsageException {
        Path games = workingDir.resolve("games");
        Path state = workingDir.resolve(".lanspread");
        String name = null;
        int quicPort = DEFAULT_QUIC_PORT;
        int httpPort = DEFAULT_HTTP_PORT;
        String bind = DEFAULT_BIND;
        String httpBind = DEFAULT_HTTP_BIND;
        List<String> peers = new ArrayList<>();
        String partyKey = null;
        boolean mdns = true;
        boolean console = false;
        boolean help = false;
        boolean verbose = false;
        boolean version = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            switch (flag) {
                case "--help", "-h" -> help = true;
                case "--console" -> console = true;
                case "--no-mdns" -> mdns = false;
                case "--verbose" -> verbose = true;
                case "--version" -> version = true;
                case "--games", "--state", "--name", "--port", "--http-port", "--http-bind", "--bind", "--peer",
                        "--party-key" -> {
                    String value;
                    if (inlineValue != null) {
                        value = inlineValue;
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new UsageException(flag + " needs a value");
                    }
                    switch (flag) {
                        case "--games" -> games = workingDir.resolve(nonEmpty(flag, value));
                        case "--state" -> state = workingDir.resolve(nonEmpty(flag, value));
                        case "--name" -> name = value;
                        case "--port" -> quicPort = port(flag, value);
                        case "--http-port" -> httpPort = port(flag, value);
                        case "--bind" -> bind = nonEmpty(flag, value);
                        case "--http-bind" -> httpBind = nonEmpty(flag, value);
                        case "--peer" -> peers.add(peer(value));
                        case "--party-key" -> partyKey = nonEmpty(flag, value);
                        default -> throw new AssertionError(flag);
                    }
                }
                default -> throw new UsageException("unknown argument: " + arg);
            }
            if (inlineValue != null && (flag.equals("--help") || flag.equals("--console")
                    || flag.equals("--no-mdns") || flag.equals("--verbose") || flag.equals("--version"))) {
                throw new UsageException(flag + " takes no value");
            }
        }
        return new LaunchOptions(games.toAbsolutePath().normalize(), state.toAbsolutePath().normalize(),
                name, quicPort, httpPort, bind, httpBind, peers, partyKey, mdns, console, help, verbose, version);
    }

    private static String nonEmpty(String flag, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(flag + " needs a non-empty value");
        }
        return value;
    }

    private static int port(String flag, String value) throws UsageException {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " must be a port number 0..65535, got: " + value);
    }

    /** Accepts host:port and [ipv6]:port with a port of 1..65535. */
    private static String peer(String value) throws UsageException {
        int colon = value.lastIndexOf(':');
        String host = colon > 0 ? value.substring(0, colon) : "";
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        boolean plain = !host.isEmpty() && !host.contains(":") && !host.contains("[");
        if (bracketed || plain) {
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (port >= 1 && port <= 65535) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new UsageException("--peer must be HOST:PORT (or [IPv6]:PORT), got: " + value);
    }
}
