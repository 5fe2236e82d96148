package io.lanspread.runtime;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns the command line into Config Admin configurations, one dictionary per PID. Only what the
 * flags decide is written ({@link #OWNED}); every other property keeps what the operator set (through
 * the console, say) or else the default of its component's annotation.
 */
final class PeerConfigurations {

    static final String CATALOG = "io.lanspread.catalog";
    static final String DOWNLOAD = "io.lanspread.download";
    static final String IDENTITY = "io.lanspread.identity";
    static final String QUIC_SERVER = "io.lanspread.transport.quic.server";
    static final String STATIC_DISCOVERY = "io.lanspread.discovery.static";
    static final String HTTP = "org.apache.felix.http";
    static final String HTTP_ACCESS = "io.lanspread.bridge.http.access";

    /**
     * The properties the flags decide, per PID: written at every start, and removed when their flag is
     * absent (an unset --name falls back to the component's default, not to the last run's name).
     */
    static final Map<String, Set<String>> OWNED = Map.of(
            CATALOG, Set.of("games.dir", "state.dir"),
            DOWNLOAD, Set.of("state.dir"),
            IDENTITY, Set.of("state.dir", "name", ".party.key"),
            QUIC_SERVER, Set.of("bind.address", "port"),
            STATIC_DISCOVERY, Set.of("peers"),
            HTTP, Set.of("org.osgi.service.http.port", "org.apache.felix.http.host"),
            HTTP_ACCESS, Set.of("state.dir"));

    private PeerConfigurations() {
    }

    /**
     * A PID's stored properties with the flag-owned ones replaced by {@code fromFlags}: what the operator
     * set otherwise survives a restart.
     */
    static Hashtable<String, Object> merge(Dictionary<String, ?> stored, Set<String> owned,
            Dictionary<String, Object> fromFlags) {
        Hashtable<String, Object> merged = new Hashtable<>();
        if (stored != null) {
            for (Enumeration<String> keys = stored.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (!owned.contains(key)) {
                    merged.put(key, stored.get(key));
                }
            }
        }
        for (Enumeration<String> keys = fromFlags.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            merged.put(key, fromFlags.get(key));
        }
        return merged;
    }

    static Map<String, Hashtable<String, Object>> from(LaunchOptions options) {
        Map<String, Hashtable<String, Object>> configs = new LinkedHashMap<>();

        Hashtable<String, Object> catalog = new Hashtable<>();
        catalog.put("games.dir", options.gamesDir().toString());
        catalog.put("state.dir", options.stateDir().toString()); // the manifest cache
        configs.put(CATALOG, catalog);

        Hashtable<String, Object> download = new Hashtable<>();
        download.put("state.dir", options.stateDir().toString()); // what a download needs to resume
        configs.put(DOWNLOAD, download);

        Hashtable<String, Object> identity = new Hashtable<>();
        identity.put("state.dir", options.stateDir().toString());
        if (options.name() != null) {
            identity.put("name", options.name());
        }
        if (options.partyKey() != null) { // both the QUIC server and client take it from the identity
            identity.put(".party.key", options.partyKey());
        }
        configs.put(IDENTITY, identity);

        Hashtable<String, Object> quic = new Hashtable<>();
        quic.put("bind.address", options.bindAddress());
        quic.put("port", options.quicPort());
        configs.put(QUIC_SERVER, quic);

        Hashtable<String, Object> discovery = new Hashtable<>();
        discovery.put("peers", options.peers().toArray(new String[0]));
        configs.put(STATIC_DISCOVERY, discovery);

        // Felix Jetty turns port 0 into a free port itself and reports it in osgi.http.endpoint.
        Hashtable<String, Object> http = new Hashtable<>();
        http.put("org.osgi.service.http.port", options.httpPort());
        http.put("org.apache.felix.http.host", options.httpBind());
        configs.put(HTTP, http);

        Hashtable<String, Object> access = new Hashtable<>();
        access.put("state.dir", options.stateDir().toString()); // the HTTP token, when it is needed
        configs.put(HTTP_ACCESS, access);

        return configs;
    }
}
