package io.lanspread.download.internal.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.game.VersionOrder;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.peer.RemoteGame;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.store.DownloadStore;
import io.lanspread.download.internal.vote.Ballot;
import io.lanspread.download.internal.vote.ManifestVote;
import io.lanspread.download.internal.vote.VoteOutcome;

/**
 * Decides what a download fetches and readies its store: picks the version (the requested one; else the
 * newest the holders have, which after a restart may mean switching away from the stored version), asks
 * every holder for its manifest, lets them vote (or keeps the manifest chosen before, when resuming the same
 * version), and opens the store on a worker (free space, reuse of local copies). Never blocks the caller.
 */
final class Preparation {
    private static final Logger LOG = LoggerFactory.getLogger(Preparation.class);

    /** How a preparation ended; {@code notes} are sentences about the peers left out. */
    sealed interface Outcome {
        List<String> notes();
    }

    /** The download cannot go on. */
    record Failed(String sentence, List<String> notes) implements Outcome {
    }

    /** No holder answered; a download that may wait waits, a fresh one fails with {@code failureIfFresh}. */
    record NoHolders(String failureIfFresh, List<String> notes) implements Outcome {
    }

    /**
     * Ready to fetch from {@code ballots} into {@code store}; {@code replaced} is the store of the version it
     * switched away from (to be discarded), or null.
     */
    record Ready(DownloadStore store, DownloadStore replaced, List<Ballot> ballots, List<String> notes)
            implements Outcome {
    }

    private final EngineServices services;
    private final String downloadId;
    private final DownloadRequest request;

    Preparation(EngineServices services, String downloadId, DownloadRequest request) {
        this.services = services;
        this.downloadId = downloadId;
        this.request = request;
    }

    /** @param current the download's store (a previous run's), or null */
    CompletableFuture<Outcome> run(DownloadStore current, BooleanSupplier cancelled) {
        String gameId = request.gameId();
        String target = targetVersion(current);
        List<PeerInfo> holders = target == null ? List.of() : services.directory().peersWithGame(gameId, target);
        if (holders.isEmpty()) {
            return CompletableFuture.completedFuture(new NoHolders("No peer has " + gameId
                    + (request.version() != null ? " version " + request.version() : "") + ".", List.of()));
        }
        return HolderQuery.ask(services.client(), holders, gameId, target)
                .thenCompose(answers -> decide(target, answers, current, cancelled));
    }

    /** The requested version; else the stored one, unless the holders now have a newer one (then switch). */
    private String targetVersion(DownloadStore current) {
        if (request.version() != null) {
            return request.version();
        }
        String newest = services.directory().game(request.gameId()).map(RemoteGame::game).map(Game::version)
                .orElse(null);
        if (current == null) {
            return newest;
        }
        String stored = current.manifest().version();
        return newest != null && VersionOrder.NATURAL.compare(newest, stored) > 0 ? newest : stored;
    }

    private CompletableFuture<Outcome> decide(String target, List<HolderQuery.Answer> answers, DownloadStore current,
            BooleanSupplier cancelled) {
        String gameId = request.gameId();
        List<String> notes = new ArrayList<>();
        List<Ballot> ballots = new ArrayList<>();
        for (HolderQuery.Answer answer : answers) {
            if (answer.ok()) {
                ballots.add(new Ballot(answer.peer(), answer.manifest()));
            } else {
                notes.add(answer.problem());
            }
        }
        if (ballots.isEmpty()) {
            if (answers.stream().allMatch(HolderQuery.Answer::protocol1)) {
                return done(new Failed("Every peer with " + gameId + " speaks only protocol 1, which cannot be"
                        + " verified; update lanspread on one of them.", notes));
            }
            return done(new NoHolders("No peer with " + gameId + " sent its manifest.", notes));
        }
        if (current != null && current.manifest().version().equals(target)) {
            // resuming: the manifest chosen before decides, its holders serve what they agree on
            for (Ballot b : ballots) {
                long differing = current.manifest().files().stream()
                        .filter(f -> !f.sameContent(b.manifest().file(f.path()).orElse(null))).count();
                if (differing > 0) {
                    notes.add(b.name() + " has other content for " + differing
                            + " file(s) than this download chose; it is not used for them.");
                }
            }
            return done(new Ready(current, null, ballots, notes));
        }
        VoteOutcome vote = ManifestVote.decide(gameId, target, ballots, request.fromPeerId());
        notes.addAll(vote.notes());
        if (!vote.decided()) {
            return done(new Failed(vote.failure(), notes));
        }
        return CompletableFuture.supplyAsync(() -> open(vote.chosen(), current, ballots, notes, cancelled),
                services.workers());
    }

    private Outcome open(GameManifest chosen, DownloadStore current, List<Ballot> ballots, List<String> notes,
            BooleanSupplier cancelled) {
        try {
            DownloadStore opened = StoreOpening.open(services.stores(), services.reservations(), downloadId, request,
                    chosen, current, cancelled);
            return new Ready(opened, current, ballots, notes);
        } catch (StoreOpening.Refused e) {
            return new Failed(e.getMessage(), notes);
        } catch (IOException | RuntimeException e) {
            LOG.warn("download {}: cannot prepare the staging folder", downloadId, e);
            return new Failed(Sentences.diskFailure(e, "preparing the staging folder"), notes);
        }
    }

    private static CompletableFuture<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
