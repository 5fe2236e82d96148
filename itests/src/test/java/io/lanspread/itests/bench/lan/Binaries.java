package io.lanspread.itests.bench.lan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The external programs the benchmark drives, found on PATH or in the sbin folders (Maven's PATH may lack them). */
public final class Binaries {

    private Binaries() {
    }

    public static Optional<Path> find(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The absolute path of {@code name}; fails saying which Debian package has it. */
    public static String path(String name) {
        return find(name).map(Path::toString).orElseThrow(() -> new IllegalStateException(
                name + " not found on PATH or in the sbin folders (apt-get install " + packageOf(name) + ")"));
    }

    /** The Debian package that ships {@code name}. */
    public static String packageOf(String name) {
        switch (name) {
            case "nginx":
                return "nginx-light";
            case "aria2c":
                return "aria2";
            case "jcmd":
                return "openjdk-17-jdk-headless";
            default:
                return name;
        }
    }
}
