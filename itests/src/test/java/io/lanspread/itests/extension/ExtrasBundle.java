package io.lanspread.itests.extension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.lanspread.itests.support.Distribution;

/**
 * The example extension as the reactor built it: {@code examples/org.example.lanspread.extras/target/*.jar}
 * (itests depends on the module, so the jar is there before the tests run).
 */
final class ExtrasBundle {

    static final String BSN = "org.example.lanspread.extras";
    static final String MODULE = "examples/" + BSN;

    private ExtrasBundle() {
    }

    static Path jar() throws IOException {
        Path target = Distribution.root().resolve(MODULE).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(BSN + "-") && n.endsWith(".jar") && !n.endsWith("-sources.jar")
                        && !n.endsWith("-tests.jar");
            }).toList();
            if (jars.size() != 1) {
                throw new AssertionError("expected one bundle jar in " + target + ", found " + jars
                        + " (build with -pl itests -am)");
            }
            return jars.get(0);
        }
    }

    static Attributes manifest() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            return jar.getManifest().getMainAttributes();
        }
    }

    /** The package names of a manifest header such as Import-Package (attributes and directives dropped). */
    static List<String> packages(String header) {
        List<String> names = new ArrayList<>();
        if (header == null) {
            return names;
        }
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                String name = clause.toString().split(";", 2)[0].trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return names;
    }
}
