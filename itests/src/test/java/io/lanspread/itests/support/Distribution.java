package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where the built distribution lives: the repository root and the runtime's bundle folder. */
public final class Distribution {

    private Distribution() {
    }

    public static Path root() {
        return Paths.get(System.getProperty("lanspread.root.dir", "..")).toAbsolutePath().normalize();
    }

    public static Path runtimeTarget() {
        return Paths.get(System.getProperty("lanspread.runtime.dir", "../runtime/target")).toAbsolutePath().normalize();
    }

    public static boolean isFragment(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + jar, e);
        }
    }

    /** Every bundle jar the launcher installs, sorted by file name. */
    public static List<Path> bundles() {
        Path dir = runtimeTarget().resolve("bundles");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                    .collect(Collectors.toList());
            if (jars.isEmpty()) {
                throw new IllegalStateException("no bundles in " + dir + ": build the runtime module first");
            }
            return jars;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": build the runtime module first", e);
        }
    }
}
