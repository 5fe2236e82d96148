package io.lanspread.peer.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lanspread.api.game.GameFile;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerRequestException;

/**
 * Decides which file tree to download when several peers list the same version of a game: the tree a
 * strict majority of the answering peers agree on, and only those peers as sources. Peers with another
 * tree (a different build under the same version string, a stale copy) would otherwise mix their bytes
 * into the download. Without a majority the download is refused rather than guessed.
 */
final class FileListVote {

    /** The winning tree and the peers that listed exactly it, in the order they were given. */
    record Outcome(List<GameFile> files, List<PeerInfo> agreeing, List<PeerInfo> outvoted) {
    }

    private FileListVote() {
    }

    /**
     * @param answers each answering peer's file tree, in preference order
     * @throws PeerRequestException PROTOCOL when no tree has a strict majority
     */
    static Outcome decide(String gameId, Map<PeerInfo, List<GameFile>> answers) {
        Map<List<GameFile>, List<PeerInfo>> byTree = new LinkedHashMap<>();
        answers.forEach((peer, files) -> byTree.computeIfAbsent(List.copyOf(files), f -> new ArrayList<>()).add(peer));
        Map.Entry<List<GameFile>, List<PeerInfo>> best = null;
        for (Map.Entry<List<GameFile>, List<PeerInfo>> e : byTree.entrySet()) {
            if (best == null || e.getValue().size() > best.getValue().size()) {
                best = e;
            }
        }
        if (best == null || best.getValue().size() * 2 <= answers.size()) {
            throw new PeerRequestException(PeerRequestException.Reason.PROTOCOL, "the " + answers.size()
                    + " peers holding " + gameId + " disagree on its files (" + byTree.size()
                    + " different trees, none listed by a majority); refusing to mix them");
        }
        List<PeerInfo> outvoted = new ArrayList<>();
        for (Map.Entry<List<GameFile>, List<PeerInfo>> e : byTree.entrySet()) {
            if (e != best) {
                outvoted.addAll(e.getValue());
            }
        }
        return new Outcome(best.getKey(), List.copyOf(best.getValue()), List.copyOf(outvoted));
    }
}
