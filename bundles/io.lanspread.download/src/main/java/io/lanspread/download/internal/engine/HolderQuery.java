package io.lanspread.download.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lanspread.api.game.GameManifest;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerClient;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.download.internal.lifecycle.Sentences;

/** Asks holders for their manifests of one game version, all at once; never blocks. */
final class HolderQuery {

    /** One holder's answer: its manifest, or why there is none (a sentence). */
    record Answer(PeerInfo peer, GameManifest manifest, String problem, boolean protocol1) {
        boolean ok() {
            return manifest != null;
        }
    }

    private HolderQuery() {
    }

    static CompletableFuture<List<Answer>> ask(PeerClient client, List<PeerInfo> holders, String gameId, String version) {
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (PeerInfo peer : holders) {
            answers.add(ask(client, peer, gameId, version));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(all -> answers.stream().map(CompletableFuture::join).toList());
    }

    static CompletableFuture<Answer> ask(PeerClient client, PeerInfo peer, String gameId, String version) {
        CompletableFuture<GameManifest> request;
        try {
            request = client.manifest(peer.address(), gameId).toCompletableFuture();
        } catch (RuntimeException e) {
            request = CompletableFuture.failedFuture(e);
        }
        return request.handle((manifest, failure) -> {
            String name = name(peer);
            if (failure != null) {
                Throwable cause = Sentences.unwrap(failure);
                boolean v1 = cause instanceof PeerRequestException p && p.reason() == PeerRequestException.Reason.PROTOCOL;
                String problem = v1 ? name + " speaks only protocol 1, which has no manifests; it is not used."
                        : name + " did not send its manifest because " + Sentences.peerFailure(cause) + "; it is not used.";
                return new Answer(peer, null, problem, v1);
            }
            if (manifest == null || !gameId.equals(manifest.gameId()) || !version.equals(manifest.version())) {
                return new Answer(peer, null, name + " sent a manifest of another game or version; it is not used.", false);
            }
            return new Answer(peer, manifest, null, false);
        });
    }

    static String name(PeerInfo peer) {
        String name = peer.name() == null || peer.name().isEmpty() ? peer.peerId() : peer.name();
        return name + " (" + peer.address().getAddress().getHostAddress() + ")";
    }
}
