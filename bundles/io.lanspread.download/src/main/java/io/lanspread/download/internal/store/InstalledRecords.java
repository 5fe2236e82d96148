package io.lanspread.download.internal.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.game.GameManifest;

/**
 * The manifest of each game as lanspread installed it, in {@code <stateDir>/installed/<gameId>.manifest}:
 * an update tells the player's own files (saves, settings) from the game's by it.
 */
final class InstalledRecords {
    private static final Logger LOG = LoggerFactory.getLogger(InstalledRecords.class);

    private final Path dir;

    InstalledRecords(Path stateDir) {
        this.dir = stateDir.resolve("installed");
    }

    void save(GameManifest manifest) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(file(manifest.gameId()), out -> ManifestCodec.write(manifest, out));
    }

    Optional<GameManifest> read(String gameId) {
        Path file = file(gameId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            return Optional.of(ManifestCodec.read(in));
        } catch (IOException e) {
            LOG.warn("ignoring the damaged install record {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /** Game ids are checked folder names (see {@link StagingFolder#gameDir}), so they are safe file names. */
    private Path file(String gameId) {
        return dir.resolve(gameId + ".manifest");
    }
}
