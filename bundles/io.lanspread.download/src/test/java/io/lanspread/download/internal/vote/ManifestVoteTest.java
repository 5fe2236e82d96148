package io.lanspread.download.internal.vote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.peer.PeerInfo;

class ManifestVoteTest {
    private static final byte[] A = hash(1);
    private static final byte[] B = hash(2);

    private final GameManifest honest = manifest(file("game.bin", A), file("readme.txt", A));
    private final GameManifest liar = manifest(file("game.bin", B), file("readme.txt", A));

    @Test
    void oneLiarAgainstOneHonestHostHasNoMajority() {
        VoteOutcome outcome = ManifestVote.decide("g", "1", List.of(ballot("honest", "10.0.0.1", honest),
                ballot("liar", "10.0.0.2", liar)), null);

        assertThat(outcome.decided()).isFalse();
        assertThat(outcome.failure()).contains("game.bin").contains("honest (10.0.0.1)").contains("liar (10.0.0.2)")
                .doesNotContain("readme.txt");
    }

    @Test
    void twoHonestHostsOutvoteOneLiarWhoIsNamed() {
        VoteOutcome outcome = ManifestVote.decide("g", "1", List.of(ballot("h1", "10.0.0.1", honest),
                ballot("h2", "10.0.0.2", honest), ballot("liar", "10.0.0.3", liar)), null);

        assertThat(outcome.chosen().files()).isEqualTo(honest.files());
        assertThat(outcome.notes()).singleElement().asString().contains("liar").contains("game.bin");
    }

    @Test
    void manyIdsOnOneHostCountOnce() {
        List<Ballot> ballots = new ArrayList<>(List.of(ballot("h1", "10.0.0.1", honest), ballot("h2", "10.0.0.2", honest)));
        for (int i = 0; i < 3; i++) {
            ballots.add(ballot("liar" + i, "10.0.0.9", liar));
        }
        assertThat(ManifestVote.decide("g", "1", ballots, null).chosen().files()).isEqualTo(honest.files());
    }

    @Test
    void aMissingFileCountsAsOtherContent() {
        GameManifest shorter = manifest(file("game.bin", A));
        VoteOutcome outcome = ManifestVote.decide("g", "1", List.of(ballot("h1", "10.0.0.1", honest),
                ballot("h2", "10.0.0.2", honest), ballot("short", "10.0.0.3", shorter)), null);
        assertThat(outcome.chosen().files()).isEqualTo(honest.files());
        assertThat(outcome.notes()).singleElement().asString().contains("short").contains("readme.txt");

        VoteOutcome tie = ManifestVote.decide("g", "1", List.of(ballot("h1", "10.0.0.1", honest),
                ballot("short", "10.0.0.3", shorter)), null);
        assertThat(tie.failure()).contains("readme.txt").contains("no such file");
    }

    @Test
    void theTrustedPeerDecides() {
        VoteOutcome outcome = ManifestVote.decide("g", "1", List.of(ballot("h1", "10.0.0.1", honest),
                ballot("h2", "10.0.0.2", honest), ballot("liar", "10.0.0.3", liar)), "liar");

        assertThat(outcome.chosen().files()).isEqualTo(liar.files());
        assertThat(outcome.notes()).hasSize(2).allMatch(n -> n.contains("game.bin"));
    }

    private static Ballot ballot(String id, String host, GameManifest manifest) {
        return new Ballot(new PeerInfo(id, id, new InetSocketAddress(host, 4000), Instant.now(), List.of()), manifest);
    }

    private static GameManifest manifest(FileManifest... files) {
        return new GameManifest("g", "1", 1024, List.of(files));
    }

    private static FileManifest file(String path, byte[] hash) {
        return new FileManifest(path, 1000, false, hash, hash);
    }

    private static byte[] hash(int seed) {
        byte[] hash = new byte[32];
        java.util.Arrays.fill(hash, (byte) seed);
        return hash;
    }
}
