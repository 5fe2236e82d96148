package io.lanspread.download.internal.vote;

import java.util.List;

import io.lanspread.api.game.GameManifest;

/**
 * What the holders decided: the manifest to fetch and verify against, with sentences about the peers left
 * out; or, when no content has a strict majority, why the download cannot go on.
 */
public record VoteOutcome(GameManifest chosen, List<String> notes, String failure) {
    public VoteOutcome {
        notes = List.copyOf(notes);
    }

    static VoteOutcome failed(String failure, List<String> notes) {
        return new VoteOutcome(null, notes, failure);
    }

    public boolean decided() {
        return chosen != null;
    }
}
