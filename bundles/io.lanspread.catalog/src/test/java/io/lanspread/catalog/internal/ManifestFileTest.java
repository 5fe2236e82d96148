package io.lanspread.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.game.FileManifest;

class ManifestFileTest {

    private static final int CHUNK = 1024;

    @TempDir
    Path dir;

    private static ManifestFile.Content sample() {
        byte[] sha = new byte[32];
        byte[] chunks = new byte[3 * 32];
        new Random(7).nextBytes(sha);
        new Random(8).nextBytes(chunks);
        return new ManifestFile.Content("Quake III", true, List.of(
                new HashedEntry(TreeEntry.directory("baseq3"), FileManifest.directory("baseq3")),
                new HashedEntry(new TreeEntry("baseq3/pak0.pk3", false, 2 * CHUNK + 5, 123_456_789L),
                        new FileManifest("baseq3/pak0.pk3", 2 * CHUNK + 5, false, sha, chunks)),
                new HashedEntry(new TreeEntry("empty", false, 0, 5), new FileManifest("empty", 0, false, sha, null))));
    }

    @Test
    void roundTripsAndHoldsRawHashes() throws IOException {
        Path file = ManifestFile.pathFor(dir, "Quake III");
        ManifestFile.write(file, CHUNK, sample());

        ManifestFile.Content read = ManifestFile.read(file, CHUNK, "Quake III").orElseThrow();

        assertThat(read.served()).isTrue();
        assertThat(read.entries()).isEqualTo(sample().entries());
        assertThat(read.entries().get(1).manifest().sha256()).isEqualTo(sample().entries().get(1).manifest().sha256());
        assertThat(Files.size(file)).as("raw bytes, not hex").isLessThan(400);
        assertThat(ManifestFile.readGameId(file, CHUNK)).contains("Quake III");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void anyFlippedBitOrTruncationReadsAsAbsent() throws IOException {
        Path file = ManifestFile.pathFor(dir, "Quake III");
        ManifestFile.write(file, CHUNK, sample());
        byte[] good = Files.readAllBytes(file);

        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            Files.write(file, bad);
            assertThat(ManifestFile.read(file, CHUNK, "Quake III")).as("bit flipped in byte " + i).isEmpty();
        }
        for (int length = 0; length < good.length; length++) {
            Files.write(file, Arrays.copyOf(good, length));
            assertThat(ManifestFile.read(file, CHUNK, "Quake III")).as("truncated to " + length).isEmpty();
        }
    }

    @Test
    void anotherGameOrChunkSizeReadsAsAbsent() throws IOException {
        Path file = ManifestFile.pathFor(dir, "Quake III");
        ManifestFile.write(file, CHUNK, sample());

        assertThat(ManifestFile.read(file, CHUNK, "Quake II")).isEmpty();
        assertThat(ManifestFile.read(file, 2 * CHUNK, "Quake III")).isEmpty();
        assertThat(ManifestFile.read(dir.resolve("missing"), CHUNK, "Quake III")).isEmpty();
    }
}
