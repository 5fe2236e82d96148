package io.lanspread.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Writes configurations through the framework's Config Admin service, replacing only the properties the
 * launcher owns ({@link PeerConfigurations#merge}). The launcher's class loader
 * does not see the bundle's {@code org.osgi.service.cm} classes, so the calls go through reflection
 * on the interfaces loaded from the Config Admin bundle itself.
 */
final class ConfigAdminWriter {

    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    /** Multi-location binding: the configuration may be used by whichever bundle registers the PID. */
    private static final String ANY_LOCATION = "?";

    private final BundleContext context;

    ConfigAdminWriter(BundleContext context) {
        this.context = context;
    }

    void write(Map<String, ? extends Dictionary<String, Object>> configurations, Map<String, Set<String>> owned,
            long timeoutMillis)
            throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, CONFIGURATION_ADMIN, null);
        tracker.open();
        try {
            Object admin = tracker.waitForService(timeoutMillis);
            ServiceReference<Object> ref = tracker.getServiceReference();
            if (admin == null || ref == null) {
                throw new IllegalStateException("Config Admin did not appear within "
                        + TimeUnit.MILLISECONDS.toSeconds(timeoutMillis) + " s");
            }
            Class<?> adminType = ref.getBundle().loadClass(CONFIGURATION_ADMIN);
            Class<?> configurationType = ref.getBundle().loadClass(CONFIGURATION);
            Method getConfiguration = adminType.getMethod("getConfiguration", String.class, String.class);
            Method update = configurationType.getMethod("update", Dictionary.class);
            Method getProperties = configurationType.getMethod("getProperties");
            for (Map.Entry<String, ? extends Dictionary<String, Object>> entry : configurations.entrySet()) {
                try {
                    Object configuration = getConfiguration.invoke(admin, entry.getKey(), ANY_LOCATION);
                    @SuppressWarnings("unchecked")
                    Dictionary<String, ?> stored = (Dictionary<String, ?>) getProperties.invoke(configuration);
                    Set<String> ownedKeys = owned.getOrDefault(entry.getKey(), Set.of());
                    update.invoke(configuration, PeerConfigurations.merge(stored, ownedKeys, entry.getValue()));
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("cannot write configuration " + entry.getKey(), e.getCause());
                }
            }
        } finally {
            tracker.close();
        }
    }
}
