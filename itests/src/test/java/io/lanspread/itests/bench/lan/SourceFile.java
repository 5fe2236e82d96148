package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file every tool of a scenario moves: where the one copy lives (everything else hard-links it), its size and SHA-256. */
public record SourceFile(Path path, long size, String sha256) {

    /** Writes {@code mib} MiB of seeded random bytes to {@code path} and hashes them. */
    public static SourceFile create(Path path, int mib, long seed) throws IOException {
        Files.createDirectories(path.getParent());
        Copies.writeRandom(path, (long) mib << 20, seed);
        return new SourceFile(path, Files.size(path), Copies.sha256(path));
    }

    /** A hard link to this file at {@code link} (its folders created; an old link there replaced). */
    public Path linkAt(Path link) throws IOException {
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        return Files.createLink(link, path);
    }

    public String fileName() {
        return path.getFileName().toString();
    }
}
