package io.lanspread.itests.lab;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path a child JVM needs to run this package's mains: where this class was loaded from (the
 * JUnit console launcher loads test classes from its own {@code -cp}, not from java.class.path), then
 * every java.class.path entry with manifest-only jars (Surefire/Failsafe's booter jar) expanded through
 * their {@code Class-Path} attribute.
 */
final class ChildClasspath {

    private ChildClasspath() {
    }

    static String get() {
        Set<String> entries = new LinkedHashSet<>();
        try {
            entries.add(Paths.get(ChildClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): java.class.path has to do
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                addExpanded(Paths.get(entry).toAbsolutePath(), entries, 0);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void addExpanded(Path entry, Set<String> entries, int depth) {
        if (!entries.add(entry.toString()) || depth > 3 || !entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return;
            }
            URI base = entry.toUri();
            for (String ref : classPath.trim().split("\\s+")) {
                try {
                    URI uri = base.resolve(ref);
                    if ("file".equals(uri.getScheme())) {
                        addExpanded(Paths.get(uri), entries, depth + 1);
                    }
                } catch (IllegalArgumentException e) {
                    // a malformed reference: the JVM would skip it too
                }
            }
        } catch (IOException e) {
            // unreadable jar: keep it as a plain entry
        }
    }
}
