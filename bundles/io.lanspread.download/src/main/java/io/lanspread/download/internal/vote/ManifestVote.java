package io.lanspread.download.internal.vote;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.download.internal.lifecycle.Sentences;

/**
 * Decides, file by file, which content a download fetches. Among the holders that answered, each distinct
 * content of a path (a missing file is a content too) is backed by the distinct hosts that have it; the
 * content backed by a strict majority of all answering hosts wins. Several peer ids on one machine count
 * as one host, so one machine cannot outvote others by running many peers. When the user chose a peer to
 * trust, its manifest decides instead. Colluding hosts that outnumber the honest ones win, but never
 * silently: every peer left out is named in a note.
 */
public final class ManifestVote {
    private ManifestVote() {
    }

    public static VoteOutcome decide(String gameId, String version, List<Ballot> ballots, String trustedPeerId) {
        if (trustedPeerId != null) {
            Optional<Ballot> trusted = ballots.stream().filter(b -> b.peer().peerId().equals(trustedPeerId)).findFirst();
            if (trusted.isEmpty()) {
                return VoteOutcome.failed("The peer chosen for this download did not send its manifest.", List.of());
            }
            GameManifest chosen = trusted.get().manifest();
            return new VoteOutcome(chosen, differences(chosen, ballots, "the chosen peer " + trusted.get().name()), null);
        }
        int chunkSize = commonChunkSize(ballots);
        List<Ballot> voters = ballots.stream().filter(b -> b.manifest().chunkSize() == chunkSize).toList();
        List<String> notes = new ArrayList<>();
        for (Ballot b : ballots) {
            if (b.manifest().chunkSize() != chunkSize) {
                notes.add(b.name() + " hashed the game with another chunk size; it is not used.");
            }
        }
        Set<InetAddress> allHosts = new HashSet<>();
        voters.forEach(b -> allHosts.add(b.host()));
        Set<String> paths = new TreeSet<>();
        voters.forEach(b -> b.manifest().files().forEach(f -> paths.add(f.path())));

        Map<String, FileManifest> chosenFiles = new TreeMap<>();
        for (String path : paths) {
            // content (null: the file is missing) -> the hosts and peers that have it
            Map<FileManifest, Set<InetAddress>> hosts = new LinkedHashMap<>();
            Map<FileManifest, List<String>> names = new HashMap<>();
            for (Ballot b : voters) {
                FileManifest content = b.manifest().file(path).orElse(null);
                hosts.computeIfAbsent(content, c -> new HashSet<>()).add(b.host());
                names.computeIfAbsent(content, c -> new ArrayList<>()).add(b.name());
            }
            FileManifest winner = null;
            boolean decided = false;
            for (Map.Entry<FileManifest, Set<InetAddress>> e : hosts.entrySet()) {
                if (e.getValue().size() * 2 > allHosts.size() && strictlyAhead(e, hosts)) {
                    winner = e.getKey();
                    decided = true;
                }
            }
            if (!decided) {
                return VoteOutcome.failed(noMajority(path, names), notes);
            }
            if (winner != null) {
                chosenFiles.put(path, winner);
            }
        }
        GameManifest chosen = new GameManifest(gameId, version, chunkSize, List.copyOf(chosenFiles.values()));
        notes.addAll(differences(chosen, voters, "the majority"));
        return new VoteOutcome(chosen, notes, null);
    }

    private static boolean strictlyAhead(Map.Entry<FileManifest, Set<InetAddress>> candidate,
            Map<FileManifest, Set<InetAddress>> all) {
        for (Map.Entry<FileManifest, Set<InetAddress>> other : all.entrySet()) {
            if (other != candidate && other.getValue().size() >= candidate.getValue().size()) {
                return false;
            }
        }
        return true;
    }

    private static int commonChunkSize(List<Ballot> ballots) {
        Map<Integer, Set<InetAddress>> hostsBySize = new HashMap<>();
        for (Ballot b : ballots) {
            hostsBySize.computeIfAbsent(b.manifest().chunkSize(), s -> new HashSet<>()).add(b.host());
        }
        return hostsBySize.entrySet().stream()
                .max((a, b) -> a.getValue().size() != b.getValue().size()
                        ? Integer.compare(a.getValue().size(), b.getValue().size())
                        : Integer.compare(b.getKey() == GameManifest.CHUNK_SIZE ? 1 : 0, a.getKey() == GameManifest.CHUNK_SIZE ? 1 : 0))
                .map(Map.Entry::getKey).orElse(GameManifest.CHUNK_SIZE);
    }

    private static String noMajority(String path, Map<FileManifest, List<String>> names) {
        List<String> sides = new ArrayList<>();
        int n = 1;
        for (Map.Entry<FileManifest, List<String>> side : names.entrySet()) {
            String what = side.getKey() == null ? "no such file" : "content " + (char) ('A' + n++ - 1);
            sides.add(Sentences.list(side.getValue()) + " " + (side.getValue().size() == 1 ? "has " : "have ") + what);
        }
        return "No majority of hosts agrees on the content of " + path + ": " + String.join("; ", sides)
                + ". Choose a peer to trust to download this game anyway.";
    }

    /** A note per holder whose content differs from {@code chosen} on some files. */
    static List<String> differences(GameManifest chosen, List<Ballot> ballots, String reference) {
        List<String> notes = new ArrayList<>();
        for (Ballot b : ballots) {
            List<String> differing = differingPaths(chosen, b.manifest());
            if (!differing.isEmpty()) {
                List<String> shown = differing.size() > 5 ? differing.subList(0, 5) : differing;
                notes.add(b.name() + " has other content than " + reference + " for " + differing.size()
                        + (differing.size() == 1 ? " file (" : " files (") + String.join(", ", shown)
                        + (differing.size() > shown.size() ? ", ..." : "") + "); it is not used for "
                        + (differing.size() == 1 ? "it." : "them."));
            }
        }
        return notes;
    }

    static List<String> differingPaths(GameManifest chosen, GameManifest other) {
        Set<String> paths = new TreeSet<>();
        for (FileManifest f : chosen.files()) {
            if (chosen.chunkSize() != other.chunkSize() || !f.sameContent(other.file(f.path()).orElse(null))) {
                paths.add(f.path());
            }
        }
        for (FileManifest f : other.files()) {
            if (chosen.file(f.path()).isEmpty()) {
                paths.add(f.path());
            }
        }
        return new ArrayList<>(paths);
    }
}
