package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Copying and deleting folder trees the way a user does: file by file, parents first. */
public final class FileTrees {

    private FileTrees() {
    }

    /** Copies {@code source} to {@code target} (which must not exist), directories before their files. */
    public static void copy(Path source, Path target) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(source)) {
            all = walk.sorted().collect(Collectors.toList());
        }
        for (Path p : all) {
            Path dest = target.resolve(source.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(dest);
            } else {
                Files.copy(p, dest);
            }
        }
    }

    /** Deletes {@code root} and everything below it (nothing when it does not exist). */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
