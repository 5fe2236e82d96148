package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;

/**
 * A {@link TestLibrary} whose manifest and {@code isUnchanged} answers a test can script: a manifest handed
 * out instead of the hashed one, and answers to {@code isUnchanged} consumed in order before the real ones.
 */
final class ScriptedLibrary implements LocalLibrary {

    final Queue<Boolean> unchangedAnswers = new ConcurrentLinkedQueue<>();
    final AtomicInteger unchangedCalls = new AtomicInteger();
    volatile GameManifest manifest;
    private final TestLibrary real;

    ScriptedLibrary(TestLibrary real) {
        this.real = real;
    }

    @Override
    public Optional<GameManifest> manifest(String gameId) {
        GameManifest scripted = manifest;
        return scripted != null && scripted.gameId().equals(gameId) ? Optional.of(scripted) : real.manifest(gameId);
    }

    @Override
    public boolean isUnchanged(String gameId, String path) {
        unchangedCalls.incrementAndGet();
        Boolean answer = unchangedAnswers.poll();
        return answer != null ? answer : real.isUnchanged(gameId, path);
    }

    @Override
    public Path gameDirectory() {
        return real.gameDirectory();
    }

    @Override
    public List<Game> games() {
        return real.games();
    }

    @Override
    public Optional<Game> game(String gameId) {
        return manifest != null && manifest.gameId().equals(gameId)
                ? Optional.of(new Game(gameId, gameId, manifest.version(), manifest.totalSize())) : real.game(gameId);
    }

    @Override
    public List<GameFile> files(String gameId) throws IOException {
        return real.files(gameId);
    }

    @Override
    public Path resolve(String gameId, String relativePath) {
        return real.resolve(gameId, relativePath);
    }

    @Override
    public long revision() {
        return real.revision();
    }

    @Override
    public void rescan() {
        real.rescan();
    }
}
