package io.lanspread.peer.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Points the catalog at another game directory through its configuration. */
final class CatalogConfiguration {

    static final String PID = "io.lanspread.catalog";
    static final String GAMES_DIR = "games.dir";

    private final ConfigurationAdmin configAdmin;

    CatalogConfiguration(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    /** Sets {@code games.dir}, keeping the catalog's other properties. */
    void setGamesDirectory(Path absolute) {
        try {
            Configuration configuration = configAdmin.getConfiguration(PID, "?");
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                properties = new Hashtable<>();
            }
            properties.put(GAMES_DIR, absolute.toString());
            configuration.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the configuration " + PID, e);
        }
    }
}
