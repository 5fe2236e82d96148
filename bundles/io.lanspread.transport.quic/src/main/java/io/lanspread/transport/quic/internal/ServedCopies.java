package io.lanspread.transport.quic.internal;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.game.LocalLibrary;
import io.lanspread.api.game.PartialCopies;
import io.lanspread.api.game.PartialCopy;
import io.lanspread.protocol.Response;

/**
 * Which copy of a game version answers a protocol 4 request: the library's when it lists that version, else a
 * partial copy of it that a running download shares (swarming), else none. Have-maps are answered only for the
 * exact content the caller named by its manifest's content hash.
 */
final class ServedCopies {

    private final LocalLibrary library;
    private final ServedFiles files;
    private final Supplier<PartialCopies> partials;
    private final ContentHashes hashes = new ContentHashes();

    ServedCopies(LocalLibrary library, ServedFiles files, Supplier<PartialCopies> partials) {
        this.library = library;
        this.files = files;
        this.partials = partials;
    }

    /** The chunks of {@code gameId}: the library's copy when no version is named or it lists that one. */
    ChunkReader reader(String gameId, String version) {
        if (version == null || listsVersion(gameId, version)) {
            return new LibraryChunks(files, gameId);
        }
        return partial(gameId, version).<ChunkReader>map(PartialChunks::new)
                .orElseThrow(() -> new GameNotFoundException(gameId));
    }

    /** The have-map of exactly that content, or {@link Response.GameNotFound}. */
    Response have(String gameId, String version, String contentHashHex, long knownRevision) {
        byte[] wanted = HexFormat.of().parseHex(contentHashHex);
        if (listsVersion(gameId, version)) {
            Optional<GameManifest> manifest = library.manifest(gameId);
            if (manifest.isPresent() && manifest.get().version().equals(version)
                    && Arrays.equals(hashes.of(manifest.get()), wanted)) {
                return new Response.Have(gameId, version, 0, manifest.get().totalChunks(), true, null);
            }
        }
        Optional<PartialCopy> partial = partial(gameId, version);
        if (partial.isPresent() && Arrays.equals(partial.get().contentHash(), wanted)) {
            PartialCopy copy = partial.get();
            long revision = copy.revision();
            BitSet held = revision == knownRevision ? null : copy.held();
            return new Response.Have(gameId, version, revision, copy.manifest().totalChunks(), false, held);
        }
        return new Response.GameNotFound(gameId);
    }

    private boolean listsVersion(String gameId, String version) {
        return library.game(gameId).map(Game::version).filter(version::equals).isPresent();
    }

    private Optional<PartialCopy> partial(String gameId, String version) {
        PartialCopies copies = partials.get();
        return copies == null ? Optional.empty() : copies.copy(gameId, version);
    }
}
