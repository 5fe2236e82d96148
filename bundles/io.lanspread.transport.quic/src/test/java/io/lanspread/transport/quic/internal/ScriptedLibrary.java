package io.lanspread.transport.quic.internal;

import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;

/**
 * A {@link TestLibrary} whose manifest and {@code isUnchanged} answers a test can script: a manifest handed
 * out instead of the hashed one, and answers to {@code isUnchanged} consumed in order before the real ones.
 */
final class ScriptedLibrary extends ForwardingLibrary {

    final Queue<Boolean> unchangedAnswers = new ConcurrentLinkedQueue<>();
    final AtomicInteger unchangedCalls = new AtomicInteger();
    volatile GameManifest manifest;

    ScriptedLibrary(TestLibrary real) {
        super(real);
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
    public Optional<Game> game(String gameId) {
        return manifest != null && manifest.gameId().equals(gameId)
                ? Optional.of(new Game(gameId, gameId, manifest.version(), manifest.totalSize())) : real.game(gameId);
    }



}
