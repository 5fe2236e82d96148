package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.LocalLibrary;

/** A library that passes every call on to a real one; tests override the calls they count, gate or script. */
abstract class ForwardingLibrary implements LocalLibrary {

    protected final LocalLibrary real;

    ForwardingLibrary(LocalLibrary real) {
        this.real = real;
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
        return real.game(gameId);
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
    public Optional<GameManifest> manifest(String gameId) {
        return real.manifest(gameId);
    }

    @Override
    public boolean isUnchanged(String gameId, String path) {
        return real.isUnchanged(gameId, path);
    }

    @Override
    public void adopt(GameManifest verified, Path folder) {
        real.adopt(verified, folder);
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
