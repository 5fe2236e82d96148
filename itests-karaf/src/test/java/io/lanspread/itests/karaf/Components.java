package io.lanspread.itests.karaf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the output of Felix SCR's {@code scr:list}: each component with the states of its instances. */
final class Components {

    private static final Pattern HEADER = Pattern.compile("^(\\S+) in bundle (\\d+) \\((.*)\\) (\\w+), (\\d+) instances?\\.?\\s*$");
    private static final Pattern STATE = Pattern.compile("State:\\s*(\\w+)", Pattern.CASE_INSENSITIVE);

    record Component(String name, String enabled, int instances, List<String> states) {
        /** Enabled, with an instance, and every instance satisfied (ACTIVE, or SATISFIED until first use). */
        boolean satisfied() {
            return enabled.equals("enabled") && instances > 0 && states.size() == instances
                    && states.stream().allMatch(s -> s.equalsIgnoreCase("ACTIVE") || s.equalsIgnoreCase("SATISFIED"));
        }
    }

    private Components() {
    }

    static Map<String, Component> parse(String scrList) {
        Map<String, Component> components = new LinkedHashMap<>();
        String name = null;
        String enabled = null;
        int instances = 0;
        List<String> states = new ArrayList<>();
        for (String line : scrList.split("\\R")) {
            Matcher header = HEADER.matcher(line.trim());
            if (header.matches()) {
                if (name != null) {
                    components.put(name, new Component(name, enabled, instances, List.copyOf(states)));
                }
                name = header.group(1);
                enabled = header.group(4);
                instances = Integer.parseInt(header.group(5));
                states.clear();
                continue;
            }
            Matcher state = STATE.matcher(line);
            if (name != null && state.find()) {
                states.add(state.group(1));
            }
        }
        if (name != null) {
            components.put(name, new Component(name, enabled, instances, List.copyOf(states)));
        }
        return components;
    }
}
