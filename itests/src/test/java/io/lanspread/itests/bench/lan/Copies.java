package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** The benchmark's files: random content written once, and every received copy checked by size and SHA-256. */
public final class Copies {

    private Copies() {
    }

    /** Writes {@code bytes} random bytes (seeded: the same file every run) to a new {@code file}. */
    public static void writeRandom(Path file, long bytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                ByteBuffer b = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, bytes - written));
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        }
    }

    /** The SHA-256 of {@code file}, hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Fails unless {@code copy} has {@code size} bytes with SHA-256 {@code sha256}; {@code what} names the tool. */
    public static void checkIdentical(String what, Path copy, long size, String sha256) throws IOException {
        if (!Files.isRegularFile(copy)) {
            throw new AssertionError(what + ": no file at " + copy);
        }
        long actual = Files.size(copy);
        if (actual != size) {
            throw new AssertionError(what + ": " + copy + " has " + actual + " bytes, the source " + size);
        }
        String digest = sha256(copy);
        if (!digest.equals(sha256)) {
            throw new AssertionError(what + ": " + copy + " has SHA-256 " + digest + ", the source " + sha256);
        }
    }
}
