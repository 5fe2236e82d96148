package io.lanspread.download.internal.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.GameManifest;

/**
 * What a download keeps in {@code <stateDir>/downloads/<downloadId>/} to survive a restart:
 * {@code request.properties}, the chosen {@code manifest.bin} ({@link ManifestCodec}), the verified-chunk
 * log {@code done.log} ({@link MarkLog}) and, while the swap runs, an {@code installing} marker.
 */
final class Journal {
    static final String REQUEST = "request.properties";
    static final String MANIFEST = "manifest.bin";
    static final String MARKS = "done.log";
    static final String INSTALLING = "installing";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final String downloadId;
    private final Path dir;

    Journal(Path downloadsDir, String downloadId) {
        if (!SAFE_ID.matcher(downloadId).matches()) {
            throw new IllegalArgumentException("download id '" + downloadId + "' cannot name a folder");
        }
        this.downloadId = downloadId;
        this.dir = downloadsDir.resolve(downloadId);
    }

    String downloadId() {
        return downloadId;
    }

    Path dir() {
        return dir;
    }

    Path marks() {
        return dir.resolve(MARKS);
    }

    void saveRequest(DownloadRequest request) throws IOException {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("gameId", request.gameId());
        if (request.version() != null) {
            props.setProperty("version", request.version());
        }
        if (request.fromPeerId() != null) {
            props.setProperty("fromPeerId", request.fromPeerId());
        }
        AtomicFiles.write(dir.resolve(REQUEST), out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            props.store(writer, "lanspread download " + downloadId);
            writer.flush();
        });
    }

    DownloadRequest readRequest() throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve(REQUEST), StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        String gameId = props.getProperty("gameId");
        if (gameId == null || gameId.isEmpty()) {
            throw new IOException("the saved request of download " + downloadId + " names no game");
        }
        return new DownloadRequest(gameId, props.getProperty("version"), props.getProperty("fromPeerId"));
    }

    /** Persists the chosen manifest; marks of an earlier manifest no longer apply and are dropped. */
    void saveManifest(GameManifest manifest) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(marks());
        AtomicFiles.write(dir.resolve(MANIFEST), out -> ManifestCodec.write(manifest, out));
    }

    Optional<GameManifest> readManifest() throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(ManifestCodec.read(new BufferedInputStream(in, 64 * 1024)));
        }
    }

    BitSet readMarks(int chunkCount) throws IOException {
        return MarkLog.read(marks(), chunkCount);
    }

    void markInstalling() throws IOException {
        Files.write(dir.resolve(INSTALLING), new byte[0]);
        AtomicFiles.forceDirectory(dir);
    }

    boolean installing() {
        return Files.exists(dir.resolve(INSTALLING));
    }

    void clearInstalling() throws IOException {
        Files.deleteIfExists(dir.resolve(INSTALLING));
    }

    void delete() {
        TempFolders.deleteQuietly(dir);
    }
}
