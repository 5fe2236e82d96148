package io.lanspread.itests.lies;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import io.lanspread.itests.support.GameFixture;

/**
 * The four lies of issue 6, each in the one file {@link #FILE} of an otherwise honest game: what the
 * liar's folder holds before its peer hashes it ({@link #writeBefore}), and what is done to it in place
 * afterwards, size and mtime restored ({@link #tamperAfterHashing}).
 */
enum Lie {

    /** (a) Same size, different bytes; the liar's manifest truthfully describes them. */
    SAME_SIZE_OTHER_BYTES("a", "same size, different bytes"),
    /** (b) A different size. */
    OTHER_SIZE("b", "a different size"),
    /** (c) Hashed as C1 (not honest), then overwritten with C2 (same size), mtime restored. */
    LYING_MANIFEST("c", "a manifest that lies"),
    /** (d) Hashed honest, then every chunk of the file overwritten in place, size and mtime restored. */
    BAD_CHUNKS("d", "bad chunks under a true manifest");

    static final int CHUNK = GameFixture.CHUNK;
    /** The file that holds the lie: 7 chunks, the last one partial (17 in (d), see {@link #fileChunks}). */
    static final String FILE = "bin/game.bin";
    /**
     * A source takes up to 8 chunks per round (the download's {@code chunks.per.source}), in file order:
     * (d)'s file is twice that and more, so that a liar is asked for some of its chunks whatever the order
     * of the sources.
     */
    static final int BAD_CHUNKS_FILE_CHUNKS = 17;
    /** Chunks of {@link #FILE} that differ in (a) and (c). */
    static final int[] DIFFERING = {1, 3, 5};
    /** The partial last chunk's length. */
    static final int TAIL = 12_345;
    static final int EXTRA_BYTES = 70_000;

    final String letter;
    final String description;

    Lie(String letter, String description) {
        this.letter = letter;
        this.description = description;
    }

    /** Chunks of {@link #FILE} in this lie's game, the last one partial. */
    int fileChunks() {
        return this == BAD_CHUNKS ? BAD_CHUNKS_FILE_CHUNKS : 7;
    }

    /** Size of {@link #FILE} in this lie's honest game. */
    int fileSize() {
        return (fileChunks() - 1) * CHUNK + TAIL;
    }

    /**
     * The honest game {@code id} for this lie: {@link #FILE}, two more files in a nested tree, version.ini.
     */
    Path writeHonest(Path gamesDir, String id) throws IOException {
        Path game = Files.createDirectories(gamesDir.resolve(id));
        Random random = new Random(id.hashCode());
        write(game.resolve(FILE), bytes(random, fileSize()));
        write(game.resolve("data/levels/assets.pak"), bytes(random, CHUNK - 1));
        write(game.resolve("readme.txt"), bytes(random, 1000));
        Files.writeString(game.resolve("version.ini"), "[game]\nname=Lie " + id + "\nversion=1.0\n");
        return game;
    }

    /**
     * {@link #FILE} as the liar serves it in the end (its bytes after any tampering), written into a copy
     * of the honest game at {@code game}: what a user who chose the liar gets.
     */
    void writeServed(Path game) throws IOException {
        Path file = game.resolve(FILE);
        byte[] honest = Files.readAllBytes(file);
        write(file, switch (this) {
            case SAME_SIZE_OTHER_BYTES -> flip(honest, DIFFERING, (byte) 0x5a);
            case OTHER_SIZE -> longer(honest);
            case LYING_MANIFEST -> flip(honest, DIFFERING, (byte) 0xa5);
            case BAD_CHUNKS -> badChunks(honest);
        });
    }

    /** Turns a copy of the honest game at {@code game} into what the liar holds when its peer hashes it. */
    void writeBefore(Path game) throws IOException {
        Path file = game.resolve(FILE);
        byte[] honest = Files.readAllBytes(file);
        switch (this) {
            case SAME_SIZE_OTHER_BYTES -> write(file, flip(honest, DIFFERING, (byte) 0x5a));
            case OTHER_SIZE -> write(file, longer(honest));
            // C1: differs from the honest copy, and from C2 that it will serve
            case LYING_MANIFEST -> write(file, flip(honest, DIFFERING, (byte) 0x3c));
            case BAD_CHUNKS -> { } // honest, so that its manifest is the honest one
        }
    }

    /** Whether this lie needs {@link #tamperAfterHashing} once the liar's peer listed (so hashed) the game. */
    boolean tampersAfterHashing() {
        return this == LYING_MANIFEST || this == BAD_CHUNKS;
    }

    /**
     * Overwrites the liar's {@link #FILE} in place (never truncated, so its size never changes) with the
     * bytes it will serve, then restores its mtime: its cached manifest, keyed by path, size and mtime,
     * stays in use but no longer describes the file. The game's honest bytes are read from
     * {@code honestGame}.
     */
    void tamperAfterHashing(Path liarGame, Path honestGame) throws IOException {
        if (!tampersAfterHashing()) {
            return;
        }
        Path file = liarGame.resolve(FILE);
        FileTime mtime = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        byte[] honest = Files.readAllBytes(honestGame.resolve(FILE));
        byte[] served = this == LYING_MANIFEST ? flip(honest, DIFFERING, (byte) 0xa5) : badChunks(honest);
        int[] chunks = this == LYING_MANIFEST ? DIFFERING : all(honest.length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int c : chunks) {
                int from = c * CHUNK;
                int to = Math.min(served.length, from + CHUNK);
                ByteBuffer buf = ByteBuffer.wrap(served, from, to - from);
                long pos = from;
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
            }
            ch.force(true);
        }
        Files.setLastModifiedTime(file, mtime);
        if (Files.size(file) != size || !Files.getLastModifiedTime(file).equals(mtime)) {
            throw new AssertionError("tampering changed the size or mtime of " + file + ": " + size + "/" + mtime
                    + " -> " + Files.size(file) + "/" + Files.getLastModifiedTime(file));
        }
        if (!Arrays.equals(Files.readAllBytes(file), served)) {
            throw new AssertionError("tampering did not leave the intended bytes in " + file);
        }
    }

    private static byte[] flip(byte[] honest, int[] chunks, byte mask) {
        byte[] out = honest.clone();
        for (int c : chunks) {
            for (int i = c * CHUNK; i < Math.min(out.length, (c + 1) * CHUNK); i++) {
                out[i] ^= mask;
            }
        }
        return out;
    }

    private static byte[] longer(byte[] honest) {
        byte[] out = Arrays.copyOf(honest, honest.length + EXTRA_BYTES);
        Random random = new Random(honest.length);
        for (int i = honest.length; i < out.length; i++) {
            out[i] = (byte) random.nextInt();
        }
        return out;
    }

    /**
     * (d): every chunk of the file overwritten, so that whichever of them a planner asks the liar for is
     * bad, and a liar asked for more than three is dropped.
     */
    private static byte[] badChunks(byte[] honest) {
        byte[] out = honest.clone();
        Random random = new Random(4711);
        for (int c : all(honest.length)) {
            for (int i = c * CHUNK; i < Math.min(out.length, (c + 1) * CHUNK); i++) {
                out[i] = (byte) random.nextInt();
            }
        }
        return out;
    }

    private static int[] all(int length) {
        return IntStream.range(0, (length + CHUNK - 1) / CHUNK).toArray();
    }

    private static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
