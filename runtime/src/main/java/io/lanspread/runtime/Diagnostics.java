package io.lanspread.runtime;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Explains why a peer did not come up: bundles that are not ACTIVE and Declarative Services components
 * that are not satisfied (read reflectively from ServiceComponentRuntime's DTOs, public fields only).
 */
final class Diagnostics {

    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    private Diagnostics() {
    }

    static List<String> inactiveBundles(Collection<Bundle> bundles) {
        List<String> lines = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getState() != Bundle.ACTIVE && !BundleDeployer.isFragment(b)) {
                lines.add("bundle " + b.getSymbolicName() + " " + b.getVersion() + " is " + stateName(b.getState()));
            }
        }
        return lines;
    }

    static List<String> unsatisfiedComponents(BundleContext context) {
        List<String> lines = new ArrayList<>();
        ServiceReference<?> ref = context.getServiceReference(SCR);
        if (ref == null) {
            lines.add("no Declarative Services runtime (org.apache.felix.scr not active?)");
            return lines;
        }
        Object scr = context.getService(ref);
        try {
            Class<?> scrType = ref.getBundle().loadClass(SCR);
            Class<?> descriptionType = ref.getBundle().loadClass(
                    "org.osgi.service.component.runtime.dto.ComponentDescriptionDTO");
            Collection<?> descriptions = (Collection<?>) scrType
                    .getMethod("getComponentDescriptionDTOs", Bundle[].class).invoke(scr, (Object) new Bundle[0]);
            for (Object description : descriptions) {
                String name = (String) field(description, "name");
                if (!(Boolean) scrType.getMethod("isComponentEnabled", descriptionType).invoke(scr, description)) {
                    lines.add("component " + name + " is disabled");
                    continue;
                }
                Collection<?> configs = (Collection<?>) scrType
                        .getMethod("getComponentConfigurationDTOs", descriptionType).invoke(scr, description);
                for (Object config : configs) {
                    int state = (Integer) field(config, "state");
                    if (state == 1 || state == 2) { // UNSATISFIED_CONFIGURATION, UNSATISFIED_REFERENCE
                        lines.add("component " + name + " is unsatisfied: " + missing(description, config, state));
                    } else if (state == 16) { // FAILED_ACTIVATION
                        lines.add("component " + name + " failed to activate: " + field(config, "failure"));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            lines.add("cannot read component states: " + e);
        } finally {
            context.ungetService(ref);
        }
        return lines;
    }

    private static String missing(Object description, Object config, int state) throws ReflectiveOperationException {
        if (state == 1) {
            return "configuration required but missing";
        }
        Object unsatisfied = field(config, "unsatisfiedReferences");
        Object declared = field(description, "references");
        List<String> parts = new ArrayList<>();
        for (int i = 0; unsatisfied != null && i < Array.getLength(unsatisfied); i++) {
            Object r = Array.get(unsatisfied, i);
            Object refName = field(r, "name");
            String service = "?";
            for (int j = 0; declared != null && j < Array.getLength(declared); j++) {
                Object d = Array.get(declared, j);
                if (refName.equals(field(d, "name"))) {
                    service = String.valueOf(field(d, "interfaceName"));
                }
            }
            Object target = field(r, "target");
            parts.add("no " + service + " service" + (target == null ? "" : " matching " + target)
                    + " (reference " + refName + ")");
        }
        return String.join(", ", parts);
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        Field f = dto.getClass().getField(name);
        return f.get(dto);
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "state " + state;
        };
    }
}
