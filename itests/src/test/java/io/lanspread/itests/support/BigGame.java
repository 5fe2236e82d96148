package io.lanspread.itests.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Big game folders written quickly: one random 1 MiB block, written again and again with every 512 KiB
 * chunk stamped with (seed, file, chunk index), so that no two chunks of any game made here are alike,
 * and no byte is left sparse. Compare copies with {@link TreeCompare}.
 */
public final class BigGame {

    public static final int CHUNK = GameFixture.CHUNK;
    public static final long MIB = 1L << 20;

    private final Path dir;
    private final String version;
    private final long seed;
    private final Map<String, Long> files = new LinkedHashMap<>();
    private boolean withSaves;

    private BigGame(Path dir, String version, long seed) {
        this.dir = dir;
        this.version = version;
        this.seed = seed;
    }

    /** A game folder {@code gamesDir/id} at {@code version}, its data made from {@code seed}. */
    public static BigGame in(Path gamesDir, String id, String version, long seed) {
        return new BigGame(gamesDir.resolve(id), version, seed);
    }

    /** A file at {@code relPath} of {@code size} bytes. */
    public BigGame file(String relPath, long size) {
        files.put(relPath, size);
        return this;
    }

    /** {@code count} files {@code data/pak<i>.bin} of {@code size} bytes each. */
    public BigGame paks(int count, long size) {
        for (int i = 0; i < count; i++) {
            file("data/pak" + i + ".bin", size);
        }
        return this;
    }

    /** An empty {@code saves/} folder, where a player's save files go. */
    public BigGame withSavesFolder() {
        withSaves = true;
        return this;
    }

    /** Writes the files, then {@code version.ini}; returns the game folder. */
    public Path write() throws IOException {
        Files.createDirectories(dir);
        int index = 0;
        for (var f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            writeFile(file, f.getValue(), seed, index++);
        }
        if (withSaves) {
            Files.createDirectories(dir.resolve("saves"));
        }
        Files.writeString(dir.resolve("version.ini"), versionIni(dir.getFileName().toString(), version));
        return dir;
    }

    public static String versionIni(String id, String version) {
        return "[game]\nname=Big " + id + "\nversion=" + version + "\n";
    }

    /** Writes {@code version.ini} of {@code gameDir} anew (a version bump). */
    public static void bumpVersion(Path gameDir, String version) throws IOException {
        Files.writeString(gameDir.resolve("version.ini"), versionIni(gameDir.getFileName().toString(), version),
                StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code size} bytes to {@code file} (replacing it): the 1 MiB block of {@code seed}, every 512
     * KiB chunk stamped with seed, {@code fileIndex} and its index.
     */
    public static void writeFile(Path file, long size, long seed, int fileIndex) throws IOException {
        byte[] random = new byte[(int) MIB];
        new Random(seed).nextBytes(random);
        ByteBuffer block = ByteBuffer.allocateDirect((int) MIB);
        block.put(random).clear();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long chunk = 0;
            for (long written = 0; written < size; written += MIB) {
                for (int at = 0; at < MIB; at += CHUNK) {
                    block.putLong(at, seed);
                    block.putInt(at + 8, fileIndex);
                    block.putLong(at + 12, chunk++);
                }
                block.clear().limit((int) Math.min(MIB, size - written));
                while (block.hasRemaining()) {
                    out.write(block);
                }
            }
        }
    }

    /** Overwrites {@code bytes.length} bytes of {@code file} at {@code offset}, its size unchanged. */
    public static void patch(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long at = offset;
            while (b.hasRemaining()) {
                at += out.write(b, at);
            }
        }
    }

    /** The sum of the sizes of the regular files below {@code root}. */
    public static long size(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            long total = 0;
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    total += Files.size(p);
                }
            }
            return total;
        }
    }
}
